import assert from 'node:assert/strict';
import { comparison, type ProfileRun, type Summary } from '../../../bench/summary';

const run = (profile: string, historyShards: number, summary: Partial<Summary>): ProfileRun => ({
  profile,
  historyShards,
  seconds: 1,
  figures: [],
  summary: summary as Summary,
});

const cpu = (byProcess: Record<string, number>) => ({
  total: Object.values(byProcess).reduce((a, b) => a + b, 0),
  byProcess,
});

/** The side-by-side table of `npm run bench:cluster`: each figure of both profiles and the cluster's ratio to dev. */
describe('bench: the two profiles compared (bench/summary.ts)', () => {
  const dev = run('dev server', 1, {
    e2eEventsPerS: 32,
    emptyWorkflowCeilingPerS: 80,
    cpuMsPerEvent: cpu({ worker: 25, temporal: 17, database: 0, kafka: 0.5 }),
    eagerStartHitRatio: null,
  });
  const cluster = run('cluster', 8, {
    e2eEventsPerS: 24,
    emptyWorkflowCeilingPerS: 40,
    cpuMsPerEvent: cpu({ worker: 26, temporal: 20, database: 11, kafka: 12 }),
    eagerStartHitRatio: null,
  });
  const rows = comparison(dev, cluster).split('\n');
  const row = (name: string) => rows.find((r) => r.startsWith(`| ${name} |`));

  it('names both profiles with their history shards', () => {
    assert.equal(rows[0], '| figure | unit | dev server (1 shard) | cluster (8 shards) | cluster ÷ dev |');
  });

  it('gives each figure of both and the cluster ÷ dev ratio', () => {
    assert.equal(row('end to end, burst'), '| end to end, burst | events/s | 32 | 24 | 0.75 |');
    assert.equal(
      row('Temporal empty workflow (SDK default worker settings)'),
      '| Temporal empty workflow (SDK default worker settings) | wf/s | 80 | 40 | 0.5 |',
    );
    assert.equal(row('… of it Kafka'), '| … of it Kafka | ms | 0.5 | 12 | 24 |');
  });

  it('leaves the ratio empty where the dev server has nothing to divide by, and absent figures empty', () => {
    assert.equal(row('… of it PostgreSQL'), '| … of it PostgreSQL | ms | 0 | 11 |  |');
    assert.equal(row('combined process: eager starts'), '| combined process: eager starts | share |  |  |  |');
  });
});
