import assert from 'node:assert/strict';
import { type ArchiveRecord, archiveRecordOf, archiveRow } from '../../../src/dlq/archive-tables';

const record: ArchiveRecord = {
  workflowId: 'xact-t1',
  runId: 'run-1',
  state: 'failed',
  kind: 'event',
  workflowType: 'ingestXactEvent',
  traceId: 't1',
  domain: 'xact',
  eventType: 'documentsReceived',
  category: 'transient',
  stage: 'download',
  failedAt: '2026-12-03T23:59:59.123Z',
  failure: 'AttachmentsFailed: HTTP 503 from https://cdn.example/a.pdf?X-Amz-Signature=s3cr3t&part=2',
  attempts: 5,
  replays: 1,
  source: { topic: 'xact.events.raw', partition: 3, offset: '42' },
  inputPath: 'Files/pipeline/dlq-archive/xact-t1/run-1.json',
  inputJson: JSON.stringify({ event: { data: { attachments: ['https://cdn.example/a.pdf?X-Amz-Signature=s3cr3t'] } } }),
  newRunId: null,
  operator: null,
  reason: null,
  recordedAt: '2026-12-04T00:00:10.000Z',
};

describe('pipeline_dlq rows (DLQ archive)', () => {
  it('key per run and state, partition by the failure date, and back to the same record minus URL secrets', () => {
    const row = archiveRow(record);
    assert.equal(row.record_id, 'xact-t1/run-1/failed');
    assert.equal(row.failed_date, '2026-12-03');
    assert.doesNotMatch(
      JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      /s3cr3t/,
    );
    const back = archiveRecordOf({ ...row, failed_date: new Date('2026-12-03T00:00:00Z') });
    assert.deepEqual(
      { ...back, failure: null, inputJson: null },
      { ...record, failure: null, inputJson: null },
      'every other field survives the round trip',
    );
    assert.match(back.failure!, /X-Amz-Signature=redacted&part=2/);
    assert.match(back.inputJson!, /X-Amz-Signature=redacted/);
  });

  it('a state change keeps the failure date, so its row lands in the same partition under its own key', () => {
    const resolved = archiveRow({ ...record, state: 'resolved', recordedAt: '2026-12-05T08:00:00.000Z' });
    assert.equal(resolved.failed_date, '2026-12-03');
    assert.equal(resolved.record_id, 'xact-t1/run-1/resolved');
  });
});
