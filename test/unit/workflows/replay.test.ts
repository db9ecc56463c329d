import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { outcomeSinks, WORKFLOWS_PATH } from '../../../src/worker/create-worker';
import { WorkerMetrics } from '../../../src/observability/worker-metrics';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'histories');

describe('replaying recorded histories against the current workflow code', function () {
  this.timeout(120_000);
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.pb'));

  it('has recorded histories of a completed, a failed and an invalid-message run, of every workflow shape', () => {
    assert.deepEqual(
      files.sort(),
      [
        // Today's shape, the rarer paths (recorded before the two ingest workflows came to share one scaffold).
        ...Object.keys(EDGE_SHAPES),
        // Started before the short steps became local activities (four regular activities): such runs may still be
        // open when a worker of today's code takes them over, and must go on with the shape they started with.
        'completed-two-attachments.pb',
        'failed-one-of-two-attachments.pb',
        'invalid-message.pb',
        // The shape before: local activities for the event row and plan and for the inventory rows.
        'local-steps-completed-two-attachments.pb',
        'local-steps-failed-one-of-two-attachments.pb',
        // Each transfer a local activity first, the regular activity only on trouble (both domains); claimx's shape
        // of today, and xact's shape before the one local step.
        'local-transfer-claimx-completed.pb',
        'local-transfer-claimx-failed.pb',
        'local-transfer-completed-two-attachments.pb',
        'local-transfer-failed-one-of-two-attachments.pb',
        // xact's shape of today: event row, plans, local transfers and their rows in one local activity; what it
        // handed over goes to the regular activity, whose rows are a second local step.
        'one-step-completed-two-attachments.pb',
        'one-step-failed-one-of-two-attachments.pb',
        // Recorded from the code just before transfers ran local first (each transfer a regular activity), both
        // domains: runs of that shape may still be open when a worker of today's code takes them over.
        'regular-transfer-claimx-completed.pb',
        'regular-transfer-claimx-failed.pb',
        'regular-transfer-completed-two-attachments.pb',
        'regular-transfer-failed-one-of-two-attachments.pb',
      ].sort(),
    );
  });

  for (const file of files) {
    it(`replays ${file} without non-determinism and without reporting its outcome again`, async () => {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(DIR, file)));
      if (file.startsWith('local-steps-') || file.startsWith('regular-transfer-')) {
        // The fixture really is of its shape: local-activity markers, each transfer a regular activity.
        const { markers, scheduled } = shapeOf(history);
        assert.ok(markers.length >= 1, 'local activity markers');
        assert.ok(!markers.includes('transferAttachmentLocally'), markers.join(','));
        assert.ok(scheduled.includes('transferAttachment'), scheduled.join(','));
        const others = file.includes('claimx') ? ['enrichClaimxEvent', 'planClaimxMedia', 'refreshClaimxMedia'] : [];
        assert.ok(
          scheduled.every((n) => n === 'transferAttachment' || others.includes(n)),
          scheduled.join(','),
        );
      }
      if (file.startsWith('local-transfer-')) {
        // Local first: a completed run transfers in local activities only; a failed transfer was handed over.
        const { markers, scheduled } = shapeOf(history);
        // One local attempt per attachment; claimx's failed media: one per link (the first and two refreshed ones).
        const locals = file.includes('two') ? 2 : file.includes('claimx-failed') ? 3 : 1;
        assert.equal(markers.filter((m) => m === 'transferAttachmentLocally').length, locals);
        if (file.includes('completed')) assert.ok(!scheduled.includes('transferAttachment'), scheduled.join(','));
        else assert.ok(scheduled.includes('transferAttachment'), scheduled.join(','));
        // The run recorded the patch marker, which is what makes a replaying worker take the local-first branch.
        const patches = (history.events ?? []).filter(
          (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
        );
        assert.equal(patches.length, 1);
      }
      if (file.startsWith('one-step-')) {
        const { markers, scheduled } = shapeOf(history);
        if (file.includes('completed')) {
          assert.deepEqual(markers, ['ingestXactLocally']);
          assert.deepEqual(scheduled, []);
        } else {
          // One attachment transferred and recorded in the step, the other handed over and failed for good.
          assert.deepEqual(markers, ['ingestXactLocally']);
          assert.ok(scheduled.length > 0 && scheduled.every((n) => n === 'transferAttachment'), scheduled.join(','));
        }
        const patches = (history.events ?? [])
          .map((e) => e.markerRecordedEventAttributes)
          .filter((m) => m?.markerName === 'core_patch');
        assert.equal(patches.length, 1, 'the one-local-step patch only');
      }
      const edge = EDGE_SHAPES[file];
      if (edge) {
        // The fixture really is of the path it is named after: its activities, and how the run ended.
        const { markers, scheduled } = shapeOf(history);
        const ran = [...markers, ...scheduled];
        for (const name of edge.has) assert.ok(ran.includes(name), `${name} in ${ran.join(',')}`);
        for (const name of edge.lacks) assert.ok(!ran.includes(name), `no ${name} in ${ran.join(',')}`);
        const last = history.events?.at(-1);
        assert.equal(Boolean(last?.workflowExecutionFailedEventAttributes), edge.ends === 'failed');
        assert.equal(Boolean(last?.workflowExecutionCompletedEventAttributes), edge.ends === 'completed');
      }
      const registry = new Registry();
      const sinks = outcomeSinks(new WorkerMetrics(registry));
      // Throws DeterminismViolationError when the code would make different decisions than the recorded run.
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: file, sinks }, history);
      // The outcome sink is for real executions only: a replayed history must not count a DLQ entry twice.
      const counted = (await registry.getMetricsAsJSON())
        .filter((m) => m.name.startsWith('pipeline_dlq_') || m.name === 'pipeline_end_to_end_latency_seconds')
        .flatMap((m) => m.values as { value: number; metricName?: string }[])
        .filter((v) => !v.metricName || v.metricName.endsWith('_count'))
        .reduce((n, v) => n + v.value, 0);
      assert.equal(counted, 0);
    });
  }
});

/** The rarer paths' fixtures (test/support/record-histories.ts edge- --edges): what each run did and how it ended. */
const EDGE_SHAPES: Record<string, { has: string[]; lacks: string[]; ends: 'completed' | 'failed' }> = {
  // A claim-checked event: one attachment stored, one refused by its plan, one failed download (rows recorded).
  'edge-xact-claim-check-mixed.pb': {
    has: ['recordClaimCheckedEventAndPlan', 'transferAttachment', 'recordAttachments'],
    lacks: ['recordEventAndPlan'],
    ends: 'failed',
  },
  // One attachment refused by its plan, one failed download: nothing to record in the inventory.
  'edge-xact-none-transferred.pb': {
    has: ['recordEventAndPlan', 'transferAttachment'],
    lacks: ['recordAttachments'],
    ends: 'failed',
  },
  'edge-xact-no-attachments.pb': {
    has: ['recordEventAndPlan'],
    lacks: ['transferAttachmentLocally', 'recordAttachments'],
    ends: 'completed',
  },
  // The download refused once as expired: the link refreshed, then stored.
  'edge-claimx-refreshed.pb': { has: ['refreshClaimxMedia', 'recordClaimxAttachments'], lacks: [], ends: 'completed' },
  // A failed step (the API's 404 to the enrichment): no media planned.
  'edge-claimx-enrich-failed.pb': { has: ['enrichClaimxEvent'], lacks: ['planClaimxMedia'], ends: 'failed' },
  // An event type without a handler: recorded, enriched with nothing, completed.
  'edge-claimx-no-handler.pb': { has: ['enrichClaimxEvent'], lacks: ['planClaimxMedia'], ends: 'completed' },
};

/** The local activities (by their markers' activity type) and regular activities a history holds. */
function shapeOf(history: temporal.api.history.v1.IHistory): { markers: string[]; scheduled: string[] } {
  const events = history.events ?? [];
  const markers = events
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_local_activity')
    .map((m) => {
      const data = m?.details?.data?.payloads?.[0]?.data;
      return data
        ? String((JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type)
        : '';
    });
  const scheduled = events
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
    .filter((n): n is string => Boolean(n));
  return { markers, scheduled };
}
