// Records workflow histories of real runs as replay-test fixtures (test/fixtures/histories/*.pb):
//   npx tsx test/support/record-histories.ts <prefix> [--invalid]   (needs the local stack: npm run stack:up)
// e.g. `local-transfer-` records, with today's code, `local-transfer-completed-two-attachments.pb`,
// `local-transfer-failed-one-of-two-attachments.pb`, `local-transfer-claimx-completed.pb` and
// `local-transfer-claimx-failed.pb`. Re-record only on purpose: the fixtures guard that today's workflow code still
// replays yesterday's runs, so a fixture of an older shape is never re-recorded (its code is gone).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { TypedSearchAttributes, WorkflowIdReusePolicy } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decodeClaimxEvent } from '../../src/shared/claimx-event';
import {
  CLAIMX_DOMAIN,
  claimxWorkflowId,
  invalidMessageWorkflowId,
  WORKFLOW_TYPES,
  xactWorkflowId,
} from '../../src/shared/ids';
import type { IngestClaimxInput } from '../../src/shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { startClaimxApiStandin } from '../../src/sample/claimx-api-standin';
import { sampleEvent } from '../../src/sample/sample-events';
import { PipelineHarness } from './pipeline-harness';

const TOKEN = 'cmVjb3JkZXI=';

async function main(): Promise<void> {
  const prefix = process.argv[2];
  if (!prefix || prefix.startsWith('--')) throw new Error('usage: record-histories.ts <prefix> [--invalid]');
  const api = await startClaimxApiStandin({ token: TOKEN });
  const h = await PipelineHarness.start({ CLAIMX_API_URL: api.url, CLAIMX_API_TOKEN: TOKEN });
  try {
    const ok = sampleEvent(1, { sampleUrl: h.sample.url, attachments: 2 });
    const failed = sampleEvent(2, { sampleUrl: h.sample.url, attachments: 2 });
    (failed.data as { attachments: string[] }).attachments[1] = `${h.sample.url}/status/404/x/missing.pdf`;
    await h.produceEvents([ok, failed]);
    const [offset] = await h.produce([{ value: 'not json', partition: 0 }]);
    const ids: Record<string, string> = {
      [`${prefix}completed-two-attachments`]: xactWorkflowId(String(ok.traceId)),
      [`${prefix}failed-one-of-two-attachments`]: xactWorkflowId(String(failed.traceId)),
      ...(process.argv.includes('--invalid')
        ? { 'invalid-message': invalidMessageWorkflowId({ topic: h.topic, partition: 0, offset, timestamp: '' }) }
        : {}),
    };
    await h.waitFor(Object.values(ids));
    // claimx: a media event that stores its file, and one whose download is refused until the link refreshes run out.
    const project = String(5_000_000 + Math.floor(Math.random() * 900_000));
    for (const [name, refused] of [
      ['claimx-completed', 0],
      ['claimx-failed', 100],
    ] as const) {
      const decoded = decodeClaimxEvent(
        JSON.stringify({
          project_id: project,
          event_type: 'PROJECT_FILE_ADDED',
          media_id: `${project}${refused ? 2 : 1}`,
          ingested_at: new Date().toISOString(),
          event_id: randomUUID(),
        }),
      );
      if (!decoded.ok) throw new Error(decoded.reason);
      const input: IngestClaimxInput = {
        event: decoded.event,
        source: { topic: 'claimx.events.raw', partition: 0, offset: '0', timestamp: String(Date.now()) },
        retry: { initialIntervalMs: 1000, backoffCoefficient: 1, maximumIntervalMs: 1000, maximumAttempts: 2 },
        transferTimeoutMs: 60_000,
      };
      api.refuseNextDownloads(refused);
      const id = claimxWorkflowId(decoded.event.eventId);
      const handle = await h.client.workflow.start(WORKFLOW_TYPES.ingestClaimxEvent, {
        taskQueue: h.config.taskQueue,
        workflowId: id,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SEARCH_ATTRIBUTES.domain, value: CLAIMX_DOMAIN },
          { key: SEARCH_ATTRIBUTES.traceId, value: decoded.event.eventId },
          { key: SEARCH_ATTRIBUTES.eventType, value: decoded.event.eventType },
        ]),
      });
      await handle.result().catch(() => undefined);
      ids[`${prefix}${name}`] = id;
    }
    const dir = path.join(__dirname, '..', 'fixtures', 'histories');
    for (const [name, id] of Object.entries(ids)) {
      // Binary protobuf (the JSON form needs a protobufjs copy that does not match @temporalio/proto's here).
      const history = await h.client.workflow.getHandle(id).fetchHistory();
      fs.writeFileSync(path.join(dir, `${name}.pb`), temporal.api.history.v1.History.encode(history).finish());
      console.log(`recorded ${name} (${history.events?.length} events)`);
    }
  } finally {
    await h.stop();
    await api.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
