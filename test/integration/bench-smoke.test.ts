import assert from 'node:assert/strict';
import { COST_FIELDS, SUMMARY_FIELDS } from '../../bench/figures';
import { runBenchSmoke } from '../support/bench';
import { ensureStack, execFileAsync, ROOT } from '../support/stack';

interface BenchFigure {
  section: string;
  name: string;
  value: number;
  baseline?: { value: number };
  ratio?: number;
}

/** Keeps `npm run bench` working: the same harness at tiny sizes (`--smoke`); its numbers mean nothing. */
describe('benchmark harness (smoke sizes)', function () {
  this.timeout(600_000);

  it('measures every section with its same-run baselines and writes the results file', async () => {
    await ensureStack();
    await execFileAsync('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000 });
    const { stdout, result } = await runBenchSmoke<{
      environment: Record<string, unknown>;
      summary: Record<string, unknown>;
      figures: BenchFigure[];
      timelines: { burst: { t: number; done: number }[]; drain: { t: number; done: number }[] };
    }>('run.ts', 540_000);
    assert.deepEqual(
      [...new Set(result.figures.map((f) => f.section))],
      ['ceilings', 'bridge', 'end to end', 'memory', 'per event', 'delta'],
    );
    // The fields bench/results/latest.json is read by (issue 17), each a number measured in this run.
    for (const key of [...SUMMARY_FIELDS, ...COST_FIELDS]) {
      assert.ok(typeof result.summary[key] === 'number' && (result.summary[key] as number) > 0, key);
    }
    // Issue 32 item 5: activity tasks per event may be 0 (every transfer local), but they are counted, not absent.
    assert.ok(typeof result.summary.perEventActivityTasks === 'number' && result.summary.perEventActivityTasks >= 0);
    // Temporal Cloud actions per event, counted in the sampled histories: at least the run's start.
    const actions = result.summary.perEventCloudActions;
    assert.ok(typeof actions === 'number' && actions >= 1, `perEventCloudActions: ${String(actions)}`);
    const cpu = result.summary.cpuMsPerEvent as { total: number; byProcess: Record<string, number> };
    assert.ok(cpu.total > 0 && cpu.byProcess.worker! > 0 && cpu.byProcess.temporal! > 0, JSON.stringify(cpu));
    // The burst through the combined process (kafka-pipeline run): its share of eager starts, read from its /metrics.
    const eager = result.summary.eagerStartHitRatio;
    assert.ok(typeof eager === 'number' && eager >= 0 && eager <= 1, `eagerStartHitRatio: ${String(eager)}`);
    assert.ok(result.timelines.burst.length >= 2 && result.timelines.drain.length >= 2, 'timelines for the chart');
    for (const f of result.figures) assert.ok(Number.isFinite(f.value) && f.value >= 0, `${f.name}: ${f.value}`);
    const withBaseline = result.figures.filter((f) => f.baseline);
    assert.ok(withBaseline.length >= 4, 'bridge, delta and memory figures carry a same-run baseline');
    for (const f of withBaseline) assert.ok(f.baseline!.value > 0, f.name);
    for (const key of ['cpu', 'cores', 'node', 'kafka', 'temporalCli', 'temporalDevServer']) {
      assert.ok(result.environment[key], key);
    }
    assert.match(stdout, /\| section \| figure \| value \| baseline \(same run\) \| ratio \| target \| note \|/);
  });
});
