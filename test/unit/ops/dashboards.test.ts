import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ensurePrometheus, promtool } from '../../support/prometheus';
import { analyse, expressionProblems, labelsOf } from '../../support/promql';

const DIR = path.resolve(__dirname, '..', '..', '..', 'deploy', 'grafana');

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string; legendFormat?: string }[];
}
const dashboards = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    ...(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { title: string; uid: string; panels: Panel[] }),
  }));
const queries = dashboards.flatMap((d) =>
  d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${d.file} / ${p.title}`, ...t }))),
);

describe('Grafana dashboards (deploy/grafana)', function () {
  this.timeout(120_000);

  it('are the seed four plus the Temporal worker panels, each with queries', () => {
    assert.deepEqual(dashboards.map((d) => d.title).sort(), [
      'Kafka Pipeline - Consumer Health',
      'Kafka Pipeline - DLQ Monitoring',
      'Kafka Pipeline - Download Performance',
      'Kafka Pipeline - Overview',
      'Kafka Pipeline - Temporal Workers',
    ]);
    assert.equal(new Set(dashboards.map((d) => d.uid)).size, dashboards.length);
    for (const d of dashboards)
      for (const p of d.panels) assert.ok((p.targets ?? []).length > 0, `${d.file}: ${p.title}`);
  });

  it('query only metrics and labels the processes export', () => {
    for (const q of queries) assert.deepEqual(expressionProblems(q.expr), [], q.where);
  });

  it('name in legends only labels the queried series have', () => {
    for (const q of queries) {
      const labels = new Set(analyse(q.expr).selectors.flatMap((s) => labelsOf(s.metric) ?? []));
      for (const [, l] of (q.legendFormat ?? '').matchAll(/\{\{ *(\w+) *\}\}/g))
        assert.ok(labels.has(l!), `${q.where}: {{${l}}}`);
    }
  });

  it('parse with Prometheus itself (promtool, every query as a recording rule)', () => {
    ensurePrometheus();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dashboards-')), 'queries.yml');
    const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.expr }));
    fs.writeFileSync(file, YAML.stringify({ groups: [{ name: 'dashboards', rules }] }));
    const r = promtool('check', 'rules', file);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, new RegExp(`SUCCESS: ${queries.length} rules found`));
  });
});
