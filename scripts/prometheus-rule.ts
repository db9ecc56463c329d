// deploy/k8s/base/prometheusrule.yaml from deploy/prometheus/alerts.yml: the same groups and rules as a Prometheus
// Operator PrometheusRule, with each runbook_url made absolute from a base URL (where the runbooks are served).
//   npx tsx scripts/prometheus-rule.ts [--runbook-base-url <url>]      (rewrites the file; a test keeps it in step)
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const ROOT = path.resolve(__dirname, '..');
export const ALERTS_FILE = path.join(ROOT, 'deploy', 'prometheus', 'alerts.yml');
export const RULE_FILE = path.join(ROOT, 'deploy', 'k8s', 'base', 'prometheusrule.yaml');
/** Where the committed file points runbook links: the runbooks of this repository's main branch on its Git host. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://git.example.com/kafka-pipeline/blob/main/';

interface Rule {
  alert: string;
  annotations?: Record<string, string>;
  [k: string]: unknown;
}

/** The PrometheusRule text for the alert rules `alertsYaml`, runbook links resolved against `baseUrl`. */
export function prometheusRule(alertsYaml: string, baseUrl: string): string {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const { groups } = YAML.parse(alertsYaml) as { groups: { name: string; rules: Rule[] }[] };
  const absolute = groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) =>
      r.annotations?.runbook_url
        ? { ...r, annotations: { ...r.annotations, runbook_url: new URL(r.annotations.runbook_url, base).href } }
        : r,
    ),
  }));
  const doc = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    // Labelled like the ServiceMonitor: a Prometheus whose ruleSelector matches it loads these rules.
    metadata: {
      name: 'kafka-pipeline',
      namespace: 'kafka-pipeline',
      labels: { 'app.kubernetes.io/name': 'kafka-pipeline' },
    },
    spec: { groups: absolute },
  };
  return (
    '# Generated from deploy/prometheus/alerts.yml by `npx tsx scripts/prometheus-rule.ts`; do not edit by hand\n' +
    `# (test/unit/ops/prometheus-rule.test.ts fails when it differs). Runbook links: ${base.href}\n` +
    YAML.stringify(doc, { lineWidth: 0 })
  );
}

if (require.main === module) {
  const at = process.argv.indexOf('--runbook-base-url');
  const baseUrl = at > 0 ? process.argv[at + 1] : DEFAULT_RUNBOOK_BASE_URL;
  if (!baseUrl) {
    console.error('usage: npx tsx scripts/prometheus-rule.ts [--runbook-base-url <url>]');
    process.exit(2);
  }
  fs.writeFileSync(RULE_FILE, prometheusRule(fs.readFileSync(ALERTS_FILE, 'utf8'), baseUrl));
  console.log(`wrote ${path.relative(ROOT, RULE_FILE)} (runbook links under ${baseUrl})`);
}
