import assert from 'node:assert/strict';
import { xactWorkflowId } from '../../src/shared/pipeline-types';
import { xactEventId } from '../../src/shared/uuid5';
import { sampleEvent } from '../../src/sample/sample-events';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack, execFileAsync, STACK_SCRIPT } from '../support/stack';

describe('Temporal outage while events flow', function () {
  this.timeout(900_000);
  let h: PipelineHarness;

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start();
  });
  after(async () => {
    await execFileAsync('bash', [STACK_SCRIPT, 'up', 'temporal'], { timeout: 180_000 });
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
});
