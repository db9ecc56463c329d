import assert from 'node:assert/strict';
import { COST_FIELDS, SUMMARY_FIELDS } from '../../bench/figures';
import { ensureCluster } from '../support/cluster';
import { runBenchSmoke } from '../support/bench';

interface ProfileRun {
  profile: string;
  historyShards: number;
  summary: Record<string, unknown> & { cpuMsPerEvent: { total: number; byProcess: Record<string, number> } };
  figures: { name: string; value: number }[];
}

/** Keeps `npm run bench:cluster` working: both profiles measured by one harness at tiny sizes (`--smoke`). */
describe('benchmark on both stack profiles (smoke sizes)', function () {
  this.timeout(900_000);

  it('measures the dev server and the cluster with same-run ceilings each, and compares them', async () => {
    await ensureCluster();
    const { stdout, result } = await runBenchSmoke<{ profiles: { dev: ProfileRun; cluster: ProfileRun } }>(
      'cluster.ts',
      840_000,
    );
    const { dev, cluster } = result.profiles;
    assert.deepEqual([dev.profile, cluster.profile], ['dev server', 'cluster']);
    assert.equal(cluster.historyShards, 8); // scripts/cluster.sh's default, read from the cluster's state
    for (const run of [dev, cluster]) {
      for (const key of [...SUMMARY_FIELDS, ...COST_FIELDS]) {
        const v = run.summary[key];
        assert.ok(typeof v === 'number' && v > 0, `${run.profile} ${key}: ${String(v)}`);
      }
      for (const f of run.figures) assert.ok(Number.isFinite(f.value) && f.value >= 0, `${run.profile} ${f.name}`);
      const cpu = run.summary.cpuMsPerEvent.byProcess;
      assert.ok(cpu.worker! > 0 && cpu.temporal! > 0 && cpu.kafka! > 0, `${run.profile}: ${JSON.stringify(cpu)}`);
    }
    // CPU is charged to the profile's own servers: PostgreSQL's processes on the cluster only.
    assert.equal(dev.summary.cpuMsPerEvent.byProcess.database, 0);
    assert.ok(cluster.summary.cpuMsPerEvent.byProcess.database! > 0, 'the cluster run charges PostgreSQL');
    // The side-by-side table names both profiles and compares them figure by figure.
    assert.match(stdout, /\| figure \| unit \| dev server \(1 shard\) \| cluster \(8 shards\) \| cluster ÷ dev \|/);
    assert.match(stdout, /\| end to end, burst \| events\/s \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
  });
});
