import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { IngestSummary } from '../../src/shared/pipeline-types';
import { xactWorkflowId } from '../../src/shared/ids';
import { xactEventId } from '../../src/shared/uuid5';
import { sampleEvent } from '../../src/domains/xact/sample';
import { sampleBody } from '../../dev/sample-files';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { committedAtEnd } from '../support/kafka-offsets';
import { ensureStack } from '../support/stack';

function lagIsZero(h: PipelineHarness): Promise<boolean> {
  return committedAtEnd(h.topic, h.config.consumerGroup);
}

describe('xact pipeline end to end (real Kafka, Temporal, delta-rs)', function () {
  this.timeout(600_000);
  let h: PipelineHarness;

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start();
  });
  after(() => h?.stop());

  it('200 events with 1-3 attachments: one run, one event row, one file and one inventory row each; a second delivery adds nothing', async () => {
    const events = Array.from({ length: 200 }, (_, i) =>
      sampleEvent(i, { sampleUrl: h.sample.url, attachments: 1 + (i % 3), bytes: 5_000 + i }),
    );
    await h.produceEvents(events);
    const ids = events.map((e) => xactWorkflowId(String(e.traceId)));
    const runs = await h.waitFor(ids);
    const summaries = ids.map((id) => runs.get(id)!);
    assert.deepEqual(
      summaries.filter((r) => r.status !== 'completed'),
      [],
    );

    const attachments = summaries.flatMap((r) => (r.result as IngestSummary).attachments);
    const expectedAttachments = events.reduce(
      (n, e) => n + (e.data as { attachments: string[] }).attachments.length,
      0,
    );
    assert.equal(attachments.length, expectedAttachments);
    for (const a of attachments) {
      assert.equal(a.status, 'transferred');
      assert.equal(fs.statSync(h.filePath(a.blobPath)).size, a.bytes);
    }
    // Files hold exactly the bytes served.
    const first = (summaries[0]!.result as IngestSummary).attachments[0];
    const url = new URL(String((events[0]!.data as { attachments: string[] }).attachments[0]));
    const expected = Buffer.concat([...sampleBody(url.pathname, 'pdf', Number(url.searchParams.get('bytes')))]);
    assert.ok(fs.readFileSync(h.filePath(first!.blobPath)).equals(expected));

    const eventRows = (await readWithDeltaRs(h.tablePath('events'))).rows;
    assert.equal(eventRows.length, 200);
    assert.deepEqual(
      new Set(eventRows.map((r) => r.event_id)),
      new Set(events.map((e) => xactEventId(String(e.traceId)))),
    );
    const inventory = (await readWithDeltaRs(h.tablePath('attachments'))).rows;
    assert.equal(inventory.length, expectedAttachments);
    assert.equal(new Set(inventory.map((r) => r.media_id)).size, expectedAttachments);
    assert.deepEqual(new Set(inventory.map((r) => r.blob_path)), new Set(attachments.map((a) => a.blobPath)));

    // The same 200 events again: no second run, no new rows.
    const startedBefore = await h.metric('pipeline_workflow_starts_total', { outcome: 'started' });
    await h.produceEvents(events);
    await until(
      'the redelivered events are consumed and committed',
      async () =>
        (await h.metric('pipeline_workflow_starts_total', { outcome: 'duplicate' })) >= 200 && (await lagIsZero(h)),
      async () =>
        `duplicates ${await h.metric('pipeline_workflow_starts_total', { outcome: 'duplicate' })}, errors ${await h.metric('pipeline_workflow_starts_total', { outcome: 'error' })}, lag zero ${await lagIsZero(h)}; ${h.logs.slice(-3).join(' | ')}`,
    );
    assert.equal(await h.metric('pipeline_workflow_starts_total', { outcome: 'started' }), startedBefore);
    assert.equal((await readWithDeltaRs(h.tablePath('events'))).rows.length, 200);
    assert.equal((await readWithDeltaRs(h.tablePath('attachments'))).rows.length, expectedAttachments);
  });
});
