import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { outcomeSinks, WORKFLOWS_PATH } from '../../src/worker/create-worker';
import { WorkerMetrics } from '../../src/observability/worker-metrics';

const DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

describe('replaying recorded histories against the current workflow code', function () {
  this.timeout(120_000);
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.pb'));

  it('has recorded histories of a completed, a failed and an invalid-message run, of both workflow shapes', () => {
    assert.deepEqual(files.sort(), [
      // Started before the short steps became local activities (four regular activities): such runs may still be
      // open when a worker of today's code takes them over, and must go on with the shape they started with.
      'completed-two-attachments.pb',
      'failed-one-of-two-attachments.pb',
      'invalid-message.pb',
      // Today's shape: local activities for the event row and plan and for the inventory rows.
      'local-steps-completed-two-attachments.pb',
      'local-steps-failed-one-of-two-attachments.pb',
    ]);
  });

  for (const file of files) {
    it(`replays ${file} without non-determinism and without reporting its outcome again`, async () => {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(DIR, file)));
      if (file.startsWith('local-steps-')) {
        // The fixture really is of today's shape: local-activity markers, one regular activity per attachment.
        const events = history.events ?? [];
        const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
        const scheduled = events
          .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
          .filter((n): n is string => Boolean(n));
        assert.ok(markers.length >= 1, 'local activity markers');
        assert.ok(
          scheduled.every((n) => n === 'transferAttachment'),
          scheduled.join(','),
        );
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
