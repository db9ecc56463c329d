import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COST_FIELDS, SUMMARY_FIELDS } from '../../../bench/figures';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The committed record of the latest full bench run, and the page that explains it, stay in step. */
describe('bench/results/latest.json and docs/performance.md', () => {
  const latest = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as {
    date: string;
    environment: { mode: string };
    summary: Record<string, unknown>;
  };
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'performance.md'), 'utf8');

  it('is a full run with every summary figure issue 17 asks for, each a measured number', () => {
    assert.equal(latest.environment.mode, 'full');
    for (const key of SUMMARY_FIELDS) {
      const v = latest.summary[key];
      assert.ok(typeof v === 'number' && Number.isFinite(v) && v > 0, `${key}: ${String(v)}`);
    }
  });

  it("holds issue 32's cost figures: per-event Temporal work, the ceilings beside the yardstick, the eager share", () => {
    for (const key of COST_FIELDS) {
      const v = latest.summary[key];
      assert.ok(typeof v === 'number' && Number.isFinite(v) && v > 0, `${key}: ${String(v)}`);
    }
    const eager = latest.summary.eagerStartHitRatio;
    assert.ok(typeof eager === 'number' && eager >= 0 && eager <= 1, `eagerStartHitRatio: ${String(eager)}`);
    assert.ok(typeof latest.summary.perEventActivityTasks === 'number', 'perEventActivityTasks counted (may be 0)');
  });

  it('is the run docs/performance.md shows: its date, its figures and the chart the bench drew', () => {
    assert.ok(doc.includes(latest.date.slice(0, 10)), 'the date of the run');
    const s = latest.summary as Record<string, number>;
    assert.ok(doc.includes(`**${s.e2eEventsPerS!.toFixed(1)}**`), 'the end-to-end rate');
    assert.ok(doc.includes(`**${s.latencyP95Ms} ms**`), 'the p95 latency');
    assert.ok(doc.includes('](bench-timeline.svg)'));
    assert.match(fs.readFileSync(path.join(ROOT, 'docs', 'bench-timeline.svg'), 'utf8'), /^<svg [^>]*>[\s\S]*<path /);
  });

  it('holds the latest full run on both profiles (npm run bench:cluster), shown in docs/performance.md', () => {
    const cluster = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'cluster-latest.json'), 'utf8')) as {
      date: string;
      environment: { mode: string };
      profiles: Record<'dev' | 'cluster', { historyShards: number; summary: Record<string, number> }>;
    };
    assert.equal(cluster.environment.mode, 'full');
    assert.equal(cluster.profiles.cluster.historyShards, 8);
    const section = doc.slice(doc.indexOf('## Cluster profile'));
    assert.ok(section.includes(cluster.date.slice(0, 10)), 'the date of the run');
    for (const p of ['dev', 'cluster'] as const) {
      const s = cluster.profiles[p].summary;
      for (const key of SUMMARY_FIELDS) assert.ok(typeof s[key] === 'number' && s[key]! > 0, `${p} ${key}`);
      assert.ok(section.includes(`**${s.e2eEventsPerS!.toFixed(1)}**`), `${p}: the end-to-end rate`);
    }
  });
});
