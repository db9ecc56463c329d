import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { invalidMessageWorkflowId, xactWorkflowId } from '../../src/shared/ids';
import type { InvalidMessageInput } from '../../src/shared/pipeline-types';
import { PipelineHarness } from '../support/pipeline-harness';
import { ensureStack } from '../support/stack';

const MB = 1024 * 1024;

/** `levels` arrays nested inside each other, as JSON text. */
const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

/**
 * Issue 30's rule through Kafka: whatever a record holds, it ends as one completed run or one DLQ entry, and the
 * messages after it on its partition are processed.
 */
describe('hostile messages: each one run or one DLQ entry, the partition moves on', function () {
  this.timeout(600_000);
  let h: PipelineHarness;

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({}, { topicConfig: [{ name: 'max.message.bytes', value: String(8 * MB) }] });
  });
  after(() => h?.stop());

  const source = (partition: number, offset: string) => ({ topic: h.topic, partition, offset, timestamp: '' });

  it('a 2 MB key: an invalid message is one DLQ entry with the key stored whole; a valid event completes', async () => {
    const key = Buffer.alloc(2 * MB, 0x01); // 12 MB once escaped in a JSON input
    const valid = h.eventWith(1, []);
    const after = h.eventWith(2, []);
    const offsets = await h.produce([
      { value: 'not an event', key, partition: 0 },
      { value: JSON.stringify(valid), key, partition: 0 },
      { value: JSON.stringify(after), partition: 0 },
    ]);
    const dlqId = invalidMessageWorkflowId(source(0, offsets[0]!));
    const runs = await h.waitFor([dlqId, ...[valid, after].map((e) => xactWorkflowId(String(e.traceId)))]);
    const dlq = runs.get(dlqId)!;
    assert.equal(dlq.status, 'failed');
    assert.equal(dlq.failureType, 'InvalidEvent');
    const input = dlq.details?.[0] as InvalidMessageInput;
    assert.equal(input.payload, 'not an event');
    assert.equal(input.keyCut?.bytes, key.length);
    assert.deepEqual(fs.readFileSync(path.join(h.lakehouse, input.keyCut!.storedAt!)), key);
    for (const e of [valid, after]) assert.equal(runs.get(xactWorkflowId(String(e.traceId)))!.status, 'completed');
    await h.dlqService().view(dlqId);
  });

  it('deeply nested data (4,000 and 6,000 levels, object or string): one invalid_event DLQ entry each, nothing retried', async () => {
    const base = h.eventWith(10, []);
    const deep = [
      { ...base, traceId: 'deep-object-6000', data: `__DEEP6000__` },
      { ...base, traceId: 'deep-object-4000', data: `__DEEP4000__` },
      { ...base, traceId: 'deep-string-6000', data: `{"a":${nested(6000)}}` },
    ].map((e) =>
      JSON.stringify(e)
        .replace('"__DEEP6000__"', `{"a":${nested(6000)}}`)
        .replace('"__DEEP4000__"', `{"a":${nested(4000)}}`),
    );
    const after = h.eventWith(11, []);
    const offsets = await h.produce([
      ...deep.map((value) => ({ value, partition: 1 })),
      { value: JSON.stringify(after), partition: 1 },
    ]);
    const dlqIds = deep.map((_, i) => invalidMessageWorkflowId(source(1, offsets[i]!)));
    const runs = await h.waitFor([...dlqIds, xactWorkflowId(String(after.traceId))]);
    for (const id of dlqIds) {
      const run = runs.get(id)!;
      assert.equal(run.status, 'failed', id);
      assert.equal(run.failureType, 'InvalidEvent');
      assert.match(run.message ?? '', /nests arrays and objects deeper than 6[34] levels \(MAX_JSON_DEPTH\)/);
      await h.dlqService().view(id);
    }
    assert.equal(runs.get(xactWorkflowId(String(after.traceId)))!.status, 'completed');
    assert.equal(await h.metric('kafka_circuit_breaker_failures_total', { component: 'temporal' }), 0);
    assert.equal(await h.metric('kafka_processing_errors_total'), 0, 'no start failed, none was retried');
  });

  it('a trace id naming an invalid message and odd trace ids: each its own run', async () => {
    const first = await h.produce([{ value: '{"not":"an event"}', partition: 2 }]);
    const impostor = { ...h.eventWith(20, []), traceId: `invalid-${h.topic}-2-${first[0]}` };
    const odd = ['😀'.repeat(300), `${'t'.repeat(1200)}`, 'tab\there'].map((traceId, i) => ({
      ...h.eventWith(21 + i, []),
      traceId,
    }));
    await h.produce([impostor, ...odd].map((e) => ({ value: JSON.stringify(e), partition: 2 })));
    const dlqId = invalidMessageWorkflowId(source(2, first[0]!));
    const eventIds = [impostor, ...odd].map((e) => xactWorkflowId(String(e.traceId)));
    const runs = await h.waitFor([dlqId, ...eventIds]);
    assert.equal(runs.get(dlqId)!.status, 'failed');
    // The impostor's run is its own: had it taken the invalid message's id, one of the two would be missing.
    for (const id of eventIds) assert.equal(runs.get(id)!.status, 'completed', id);
  });

  it('an event with more attachments than MAX_ATTACHMENTS_PER_EVENT is one DLQ entry saying so', async () => {
    const urls = Array.from({ length: 2_000 }, (_, i) => `${h.sample.url}/files/M/${i}.pdf?bytes=10`);
    const many = h.eventWith(30, urls);
    const after = h.eventWith(31, []);
    const offsets = await h.produce([
      { value: JSON.stringify(many), partition: 3 },
      { value: JSON.stringify(after), partition: 3 },
    ]);
    const dlqId = invalidMessageWorkflowId(source(3, offsets[0]!));
    const runs = await h.waitFor([dlqId, xactWorkflowId(String(after.traceId))]);
    assert.equal(runs.get(dlqId)!.status, 'failed');
    assert.match(runs.get(dlqId)!.message ?? '', /the event has 2000 attachments; at most 100 per event/);
    assert.equal(runs.get(xactWorkflowId(String(after.traceId)))!.status, 'completed');
    const { items } = await h.dlqService().list({ query: `TaskQueue = '${h.config.taskQueue}'` }, 50);
    assert.ok(items.some((i) => i.workflowId === dlqId));
  });
});
