// Records workflow histories of real runs as replay-test fixtures (test/fixtures/histories/*.json):
//   npx tsx test/support/record-histories.ts [--invalid]   (needs the local stack: npm run stack:up)
// Re-record only on purpose: the fixtures guard that today's workflow code still replays yesterday's runs.
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { invalidMessageWorkflowId, xactWorkflowId } from '../../src/shared/ids';
import { sampleEvent } from '../../src/sample/sample-events';
import { PipelineHarness } from './pipeline-harness';

async function main(): Promise<void> {
  const h = await PipelineHarness.start();
  try {
    const ok = sampleEvent(1, { sampleUrl: h.sample.url, attachments: 2 });
    const failed = sampleEvent(2, { sampleUrl: h.sample.url, attachments: 2 });
    (failed.data as { attachments: string[] }).attachments[1] = `${h.sample.url}/status/404/x/missing.pdf`;
    await h.produceEvents([ok, failed]);
    const [offset] = await h.produce([{ value: 'not json', partition: 0 }]);
    // Runs of today's shape (short steps as local activities). The fixtures without the `local-steps-` prefix
    // were recorded before that change (four regular activities) and are kept: runs of that shape may still be
    // open when a new worker starts. invalid-message.pb's shape did not change; re-record it only on purpose.
    const ids = {
      'local-steps-completed-two-attachments': xactWorkflowId(String(ok.traceId)),
      'local-steps-failed-one-of-two-attachments': xactWorkflowId(String(failed.traceId)),
      ...(process.argv.includes('--invalid')
        ? { 'invalid-message': invalidMessageWorkflowId({ topic: h.topic, partition: 0, offset, timestamp: '' }) }
        : {}),
    };
    await h.waitFor(Object.values(ids));
    const dir = path.join(__dirname, '..', 'fixtures', 'histories');
    for (const [name, id] of Object.entries(ids)) {
      // Binary protobuf (the JSON form needs a protobufjs copy that does not match @temporalio/proto's here).
      const history = await h.client.workflow.getHandle(id).fetchHistory();
      fs.writeFileSync(path.join(dir, `${name}.pb`), temporal.api.history.v1.History.encode(history).finish());
      console.log(`recorded ${name} (${history.events?.length} events)`);
    }
  } finally {
    await h.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
