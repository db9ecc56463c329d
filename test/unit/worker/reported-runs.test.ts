import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { WorkflowInfo } from '@temporalio/workflow';
import { WorkerMetrics } from '../../../src/observability/worker-metrics';
import { outcomeSinks } from '../../../src/worker/create-worker';
import { ReportedRuns } from '../../../src/worker/reported-runs';

/** A run's outcome counts once, though Temporal calls the sink again when the run's last task is executed again. */
describe('outcome sinks count each run once', () => {
  const info = (runId: string) => ({ runId, workflowId: `xact-${runId}` }) as unknown as WorkflowInfo;
  const value = async (registry: Registry, name: string) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    // A counter's values, or a histogram's _count series.
    return ((metric?.values ?? []) as { value: number; metricName?: string }[])
      .filter((v) => v.metricName === undefined || v.metricName.endsWith('_count'))
      .reduce((n, v) => n + v.value, 0);
  };

  it('a completion or a failure reported twice for the same run is counted once; other runs count', async () => {
    const registry = new Registry();
    const { outcomes } = outcomeSinks(new WorkerMetrics(registry));
    const at = new Date().toISOString();
    await outcomes.completed.fn(info('r1'), 'xact', at, false);
    await outcomes.completed.fn(info('r1'), 'xact', at, false); // the last task executed again
    await outcomes.completed.fn(info('r2'), 'xact', at, false);
    assert.equal(await value(registry, 'pipeline_end_to_end_latency_seconds'), 2);
    await outcomes.failed.fn(info('r3'), 'xact', 'permanent', 'download', false);
    await outcomes.failed.fn(info('r3'), 'xact', 'permanent', 'download', false);
    assert.equal(await value(registry, 'pipeline_dlq_entries_total'), 1);
  });

  it('remembers a bounded number of runs, forgetting the oldest first', () => {
    const runs = new ReportedRuns(3);
    assert.deepEqual(
      ['a', 'b', 'c', 'a'].map((r) => runs.first(r)),
      [true, true, true, false],
    );
    assert.equal(runs.first('d'), true); // 'a' is forgotten now
    assert.deepEqual(
      ['a', 'c', 'd'].map((r) => runs.first(r)),
      [true, false, false],
    );
  });
});
