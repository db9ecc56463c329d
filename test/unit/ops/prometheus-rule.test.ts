import assert from 'node:assert/strict';
import fs from 'node:fs';
import YAML from 'yaml';
import { ALERTS_FILE, DEFAULT_RUNBOOK_BASE_URL, prometheusRule, RULE_FILE } from '../../../scripts/prometheus-rule';

describe('PrometheusRule (deploy/k8s/base/prometheusrule.yaml)', () => {
  const alerts = fs.readFileSync(ALERTS_FILE, 'utf8');

  it('is what scripts/prometheus-rule.ts makes of deploy/prometheus/alerts.yml (regenerate after editing the rules)', () => {
    assert.equal(fs.readFileSync(RULE_FILE, 'utf8'), prometheusRule(alerts, DEFAULT_RUNBOOK_BASE_URL));
  });

  it('has every rule of alerts.yml unchanged but for absolute runbook links under the chosen base URL', () => {
    const source = YAML.parse(alerts) as {
      groups: { rules: { alert: string; annotations: Record<string, string> }[] }[];
    };
    const rule = YAML.parse(prometheusRule(alerts, 'https://runbooks.internal/kp')) as {
      spec: { groups: { rules: { alert: string; annotations: Record<string, string> }[] }[] };
    };
    const flat = (gs: typeof source.groups) => gs.flatMap((g) => g.rules);
    const ours = flat(rule.spec.groups);
    assert.equal(ours.length, flat(source.groups).length);
    for (const [i, r] of flat(source.groups).entries()) {
      assert.equal(ours[i]!.annotations.runbook_url, `https://runbooks.internal/kp/${r.annotations.runbook_url}`);
      assert.deepEqual(
        { ...ours[i], annotations: { ...ours[i]!.annotations, runbook_url: '' } },
        {
          ...r,
          annotations: { ...r.annotations, runbook_url: '' },
        },
      );
    }
  });
});
