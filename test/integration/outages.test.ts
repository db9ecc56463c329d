import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { xactWorkflowId } from '../../src/shared/ids';
import { xactEventId } from '../../src/shared/uuid5';
import { sampleEvent } from '../../src/domains/xact/sample';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack, execFileAsync, KAFKA_BROKER, STACK_SCRIPT } from '../support/stack';

/** Each server of the stack stopped while events flow; each case prints its recovery figure (docs/reliability.md). */
describe('outages while events flow', function () {
  this.timeout(900_000);
  let h: PipelineHarness;

  beforeEach(async () => {
    await ensureStack();
    h = await PipelineHarness.start();
  });
  afterEach(async () => {
    await execFileAsync('bash', [STACK_SCRIPT, 'up'], { timeout: 180_000 });
    await h?.stop();
  });

  it('the bridge pauses while Temporal is down, resumes by itself, and every event is processed exactly once', async () => {
    const outageMs = Number(process.env.KP_OUTAGE_S ?? 30) * 1000;
    const events = Array.from({ length: 90 }, (_, i) =>
      sampleEvent(i, { sampleUrl: h.sample.url, attachments: 1 + (i % 2), bytes: 2_000 }),
    );
    await h.produceEvents(events.slice(0, 30));
    await until(
      'the first events are started',
      async () => (await h.metric('pipeline_workflow_starts_total', { outcome: 'started' })) > 0,
    );

    await execFileAsync('bash', [STACK_SCRIPT, 'down', 'temporal'], { timeout: 120_000 });
    const downSince = Date.now();
    await h.produceEvents(events.slice(30, 60)); // produced while Temporal is down
    await until('the bridge pauses', async () => (await h.metric('bridge_paused_partitions')) > 0);
    await h.produceEvents(events.slice(60));
    const left = outageMs - (Date.now() - downSince);
    if (left > 0) await new Promise((r) => setTimeout(r, left)); // the outage itself lasts outageMs, by design
    const startedBefore = await h.metric('pipeline_workflow_starts_total', { outcome: 'started' });
    await execFileAsync('bash', [STACK_SCRIPT, 'up', 'temporal'], { timeout: 180_000 });
    const backAt = Date.now(); // `stack.sh up` returns once Temporal answers

    await until(
      'starts resume',
      async () => (await h.metric('pipeline_workflow_starts_total', { outcome: 'started' })) > startedBefore,
    );
    // A figure for docs/reliability.md, not an assertion (timings are measured, never asserted in tests).
    console.log(`      recovery: first start ${((Date.now() - backAt) / 1000).toFixed(1)} s after Temporal was back`);
    await until('the bridge resumes', async () => (await h.metric('bridge_paused_partitions')) === 0);
    const runs = await h.waitFor(
      events.map((e) => xactWorkflowId(String(e.traceId))),
      300_000,
    );
    assert.deepEqual(
      [...runs.values()].filter((r) => r.status !== 'completed'),
      [],
    );
    assert.ok(
      (await h.metric('pipeline_workflow_starts_total', { outcome: 'error' })) > 0,
      'starts failed during the outage',
    );

    const eventRows = (await readWithDeltaRs(h.tablePath('events'))).rows;
    assert.equal(eventRows.length, events.length);
    assert.deepEqual(
      new Set(eventRows.map((r) => r.event_id)),
      new Set(events.map((e) => xactEventId(String(e.traceId)))),
    );
    const inventory = (await readWithDeltaRs(h.tablePath('attachments'))).rows;
    assert.equal(
      inventory.length,
      events.reduce((n, e) => n + (e.data as { attachments: unknown[] }).attachments.length, 0),
    );
    assert.equal(new Set(inventory.map((r) => r.media_id)).size, inventory.length);
  });

  it('the bridge rejoins by itself after the broker returns; every event exactly once, offsets committed to the end', async () => {
    const outageMs = Number(process.env.KP_OUTAGE_S ?? 20) * 1000;
    const first = Array.from({ length: 30 }, (_, i) => h.eventWith(i, []));
    const second = Array.from({ length: 30 }, (_, i) => h.eventWith(100 + i, []));
    await h.produceEvents(first);
    await h.waitFor(first.map((e) => xactWorkflowId(String(e.traceId))));

    await execFileAsync('bash', [STACK_SCRIPT, 'down', 'kafka'], { timeout: 120_000 });
    await until('the bridge notices', async () => !h.bridge.isGroupMember(), undefined, 120_000);
    await new Promise((r) => setTimeout(r, outageMs)); // the outage itself lasts outageMs, by design
    await execFileAsync('bash', [STACK_SCRIPT, 'up', 'kafka'], { timeout: 180_000 });
    const backAt = Date.now(); // `stack.sh up` returns once the broker answers
    await h.produceEvents(second);
    const startedBefore = await h.metric('pipeline_workflow_starts_total', { outcome: 'started' });
    await until(
      'starts resume',
      async () => (await h.metric('pipeline_workflow_starts_total', { outcome: 'started' })) > startedBefore,
      async () => `the bridge's last log lines:\n${h.logs.slice(-40).join('\n')}`,
    );
    // A figure for docs/reliability.md, not an assertion (timings are measured, never asserted in tests).
    const restartedBy = h.logs.some((l) => l.includes('kafkajs does not retry; restarting it')) ? 'us' : 'kafkajs';
    console.log(
      `      recovery: first start ${((Date.now() - backAt) / 1000).toFixed(1)} s after the broker was back ` +
        `(consumer restarted by ${restartedBy})`,
    );
    // The consumer crashed while no broker answered; the member it was must not hold the partitions.
    assert.ok(
      h.logs.some((l) => l.includes('removed the group member this bridge was before its consumer restarted')),
      'the stale member was removed',
    );

    const runs = await h.waitFor(second.map((e) => xactWorkflowId(String(e.traceId))));
    for (const r of runs.values()) assert.equal(r.status, 'completed');
    const rows = (await readWithDeltaRs(h.tablePath('events'))).rows;
    assert.equal(rows.length, first.length + second.length);
    assert.deepEqual(
      new Set(rows.map((r) => r.event_id)),
      new Set([...first, ...second].map((e) => xactEventId(String(e.traceId)))),
    );
    const admin = new Kafka({ clientId: 'outage-check', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await until('every offset is committed', async () => {
        const [ends, committed] = await Promise.all([
          admin.fetchTopicOffsets(h.topic),
          admin.fetchOffsets({ groupId: h.config.consumerGroup, topics: [h.topic] }),
        ]);
        const done = new Map(committed[0]!.partitions.map((p) => [p.partition, p.offset]));
        return ends.every((e) => e.high === '0' || done.get(e.partition) === e.high);
      });
    } finally {
      await admin.disconnect();
    }
  });
});
