import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ObjectStore } from '../../src/adapters/storage/object-store';
import { invalidMessageWorkflowId, xactWorkflowId } from '../../src/shared/ids';
import { type IngestSummary, type IngestXactInput, type InvalidMessageInput } from '../../src/shared/pipeline-types';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack } from '../support/stack';

const MB = 1024 * 1024;
/** Trace ids whose starts Temporal rejects (see the harness's toStart). */
const REJECTED = 'rejected-';

/** An object store whose writes fail while `broken` is set (a lakehouse outage as the bridge sees it). */
class BreakableStore {
  broken = false;
  failedWrites = 0;
  wrap(inner: ObjectStore): ObjectStore {
    return {
      location: inner.location,
      get: (p) => inner.get(p),
      put: (p, data) => {
        if (!this.broken) return inner.put(p, data);
        this.failedWrites++;
        return Promise.reject(Object.assign(new Error(`injected: cannot write ${p}`), { code: 'EIO' }));
      },
      putIfAbsent: (p, data) => inner.putIfAbsent(p, data),
      list: (d) => inner.list(d),
      delete: (p) => inner.delete(p),
    };
  }
}

describe('large and rejected messages never stop the bridge', function () {
  this.timeout(600_000);
  let h: PipelineHarness;
  const store = new BreakableStore();

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start(
      // The smallest input limit: a 40 KB event needs a claim check yet shares a fetch with the messages behind it.
      { BRIDGE_STUCK_PARTITION_S: '1', BRIDGE_MAX_INPUT_BYTES: '16384' },
      {
        topicConfig: [{ name: 'max.message.bytes', value: String(16 * MB) }],
        bridgeStore: (s) => store.wrap(s),
        // Every id the pipeline builds is one Temporal accepts: an id over its 1000-byte limit stands in for a start
        // it rejects for its arguments.
        toStart: (inner) => (config, topic, partition, message) => {
          const req = inner(config, topic, partition, message);
          return req.traceId?.startsWith(REJECTED)
            ? { ...req, workflowId: `${req.workflowId}-${'t'.repeat(1000)}` }
            : req;
        },
      },
    );
  });
  after(() => h?.stop());

  /** A valid event of about `bytes` bytes: one attachment, the rest a large text field. */
  function largeEvent(i: number, bytes: number): Record<string, unknown> {
    const e = h.eventWith(i, [`${h.sample.url}/files/L${i}/estimate.pdf?bytes=3000`]);
    const filler = 'x'.repeat(bytes - JSON.stringify(e).length - 20);
    return { ...e, data: { ...(e.data as object), estimateNotes: filler } };
  }

  it('ingests 3 MB and 9 MB valid events through a claim check, quarantines a 9 MB invalid one, while other partitions flow', async () => {
    const big3 = largeEvent(1, 3 * MB);
    const big9 = largeEvent(2, 9 * MB);
    const invalid9 = `{"not": "an event", "blob": "${'y'.repeat(9 * MB)}"}`;
    const small = Array.from({ length: 12 }, (_, i) => h.eventWith(100 + i, []));
    const offsets = await h.produce([
      { value: JSON.stringify(big3), key: String(big3.traceId), partition: 0 },
      { value: JSON.stringify(big9), key: String(big9.traceId), partition: 1 },
      { value: invalid9, key: 'bad', partition: 2 },
      ...small.map((e, i) => ({ value: JSON.stringify(e), key: String(e.traceId), partition: i % 6 })),
    ]);
    const bigIds = [big3, big9].map((e) => xactWorkflowId(String(e.traceId)));
    const invalidId = invalidMessageWorkflowId({ topic: h.topic, partition: 2, offset: offsets[2]!, timestamp: '' });
    const smallIds = small.map((e) => xactWorkflowId(String(e.traceId)));
    const runs = await h.waitFor([...bigIds, invalidId, ...smallIds]);

    for (const id of [...bigIds, ...smallIds]) assert.equal(runs.get(id)!.status, 'completed', id);
    const events = await readWithDeltaRs(h.tablePath('events'));
    for (const event of [big3, big9]) {
      const rows = events.rows.filter((r) => r.trace_id === event.traceId);
      assert.equal(rows.length, 1, 'exactly one event row');
      assert.equal(rows[0]!.raw_json, JSON.stringify(event), 'raw_json holds the whole message');
      assert.equal(rows[0]!.assignment_id, (event.data as { assignmentId: string }).assignmentId);
      const run = runs.get(xactWorkflowId(String(event.traceId)))!;
      const [attachment] = (run.result as IngestSummary).attachments;
      assert.equal(attachment!.status, 'transferred');
      assert.equal(fs.statSync(h.filePath(attachment!.blobPath)).size, 3000);
      // The run's input holds a reference, not the event.
      const history = await h.client.workflow.getHandle(xactWorkflowId(String(event.traceId))).fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
      assert.ok(input && input.length < 64 * 1024, `input of ${input?.length} bytes`);
      const parsed = JSON.parse(Buffer.from(input).toString('utf8')) as IngestXactInput;
      assert.equal(parsed.rawJson, '');
      assert.equal(parsed.claimCheck?.bytes, Buffer.byteLength(JSON.stringify(event)));
      assert.ok(fs.existsSync(path.join(h.lakehouse, parsed.claimCheck!.path)));
    }
    const inventory = await readWithDeltaRs(h.tablePath('attachments'));
    for (const e of [big3, big9]) assert.equal(inventory.rows.filter((r) => r.trace_id === e.traceId).length, 1);

    const dlq = runs.get(invalidId)!;
    assert.equal(dlq.status, 'failed');
    assert.equal(dlq.failureType, 'InvalidEvent');
    const entry = dlq.details?.[0] as InvalidMessageInput;
    assert.equal(entry.payloadBytes, Buffer.byteLength(invalid9));
    assert.ok(entry.storedAt, 'the payload is stored');
    assert.match(dlq.message ?? '', new RegExp(`whole payload stored at ${entry.storedAt}`));
    assert.equal(fs.readFileSync(path.join(h.lakehouse, entry.storedAt)).toString('utf8'), invalid9);
    assert.equal(await h.metric('kafka_circuit_breaker_state', { component: 'temporal' }), 0);
  });

  it('a start Temporal rejects becomes a DLQ entry without opening the temporal breaker', async () => {
    // A workflow id longer than Temporal's limit: every start is refused with INVALID_ARGUMENT.
    const rejected = Array.from({ length: 8 }, (_, i) => ({ ...h.eventWith(300 + i, []), traceId: `${REJECTED}${i}` }));
    const fine = h.eventWith(399, []);
    const offsets = await h.produce(
      [...rejected, fine].map((e, i) => ({ value: JSON.stringify(e), partition: i < rejected.length ? 3 : 4 })),
    );
    const dlqIds = rejected.map((_, i) =>
      invalidMessageWorkflowId({ topic: h.topic, partition: 3, offset: offsets[i]!, timestamp: '' }),
    );
    const runs = await h.waitFor([...dlqIds, xactWorkflowId(String(fine.traceId))]);
    for (const id of dlqIds) {
      assert.equal(runs.get(id)!.status, 'failed');
      assert.match(runs.get(id)!.message ?? '', /Temporal rejected the start/);
    }
    assert.equal(runs.get(xactWorkflowId(String(fine.traceId)))!.status, 'completed');
    assert.ok(
      (await h.metric('kafka_processing_errors_total', { error_category: 'start_rejected' })) >= rejected.length,
    );
    assert.equal(await h.metric('kafka_circuit_breaker_failures_total', { component: 'temporal' }), 0);
    assert.equal(await h.metric('kafka_circuit_breaker_state', { component: 'temporal' }), 0);
  });

  it('a partition whose message cannot be handed over pauses alone, is reported stuck, and resumes by itself', async () => {
    store.broken = true;
    const blocked = largeEvent(500, 40_000); // needs a claim check: the bridge must write it first
    // Messages behind it on its partition are started in the same window; on every retry they are duplicates,
    // which must not count as the partition's progress.
    const behind = Array.from({ length: 3 }, (_, i) => h.eventWith(520 + i, []));
    const others = Array.from({ length: 10 }, (_, i) => h.eventWith(510 + i, []));
    await h.produce(
      [blocked, ...behind].map((e) => ({ value: JSON.stringify(e), key: String(e.traceId), partition: 5 })),
    );
    await until('the bridge failed to store the claim check', async () => store.failedWrites > 0);
    await h.produce(others.map((e, i) => ({ value: JSON.stringify(e), key: String(e.traceId), partition: i % 5 })));
    // The other five partitions flow while partition 5 waits.
    const runs = await h.waitFor(others.map((e) => xactWorkflowId(String(e.traceId))));
    for (const r of runs.values()) assert.equal(r.status, 'completed');
    await until(
      'partition 5 is reported stuck',
      async () => (await h.metric('bridge_stuck_partitions')) === 1,
      async () => `stuck=${await h.metric('bridge_stuck_partitions')}`,
      30_000,
    );
    await until(
      'partition 5 stays stuck: retries that hand later messages over as duplicates are no progress',
      async () => (h.bridge.stuckPartitions()[0]?.seconds ?? 0) >= 4,
      async () => JSON.stringify(h.bridge.stuckPartitions()),
      30_000,
    );
    assert.equal(await h.metric('bridge_stuck_partitions'), 1);
    assert.equal(await h.metric('bridge_paused_partitions'), 1);
    assert.deepEqual(
      h.bridge.stuckPartitions().map((p) => p.partition),
      [5],
    );
    assert.match(h.bridge.stuckPartitions()[0]!.error, /injected: cannot write/);
    assert.equal(await h.metric('kafka_circuit_breaker_state', { component: 'temporal' }), 0);

    store.broken = false;
    const after = await h.waitFor([blocked, ...behind].map((e) => xactWorkflowId(String(e.traceId))));
    for (const run of after.values()) assert.equal(run.status, 'completed');
    await until('partition 5 resumed', async () => (await h.metric('bridge_paused_partitions')) === 0);
    await until('nothing stuck', async () => (await h.metric('bridge_stuck_partitions')) === 0);
    assert.deepEqual(h.bridge.stuckPartitions(), []);
  });
});
