import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ensurePrometheus, promtool } from '../../support/prometheus';
import { expressionProblems } from '../../support/promql';
import { anchorsOf } from '../../support/markdown';
import { CASES, type Series } from '../../support/alert-cases';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RULES = path.join(ROOT, 'deploy', 'prometheus', 'alerts.yml');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const rules: Rule[] = (YAML.parse(fs.readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);

/** The seed runbook index's alert -> severity map (../shared/seed/runbooks-README.md), which we must serve. */
const SEED_ALERTS: Record<string, string> = {
  KafkaConsumerLagHigh: 'critical',
  KafkaConsumerLagWarning: 'warning',
  KafkaConsumerNoPartitions: 'warning',
  KafkaDLQGrowthRapid: 'critical',
  KafkaDLQGrowthWarning: 'warning',
  KafkaDLQSizeHigh: 'warning',
  KafkaCircuitBreakerOpen: 'critical',
  KafkaCircuitBreakerHalfOpen: 'info',
  KafkaConsumerDisconnected: 'critical',
  KafkaProducerDisconnected: 'critical',
  KafkaErrorRateHigh: 'critical',
  KafkaDownloadFailureRateHigh: 'critical',
  KafkaDeltaWriteFailures: 'critical',
  KafkaWorkerDead: 'critical',
  KafkaProcessingLatencyHigh: 'critical',
  KafkaProcessingLatencyWarning: 'warning',
  KafkaThroughputLow: 'warning',
};

/** The annotations promtool must see: the rule's, with `{{ $labels.x }}` filled in. */
function expectedAnnotations(rule: Rule, labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(rule.annotations).map(([k, v]) => [
      k,
      v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l] ?? ''),
    ]),
  );
}

function unitTests(): unknown {
  return {
    rule_files: [RULES],
    evaluation_interval: '30s',
    tests: rules.flatMap((rule) => {
      const c = CASES[rule.alert];
      const input = (s: Series) => Object.entries(s).map(([series, values]) => ({ series, values }));
      const labels = { ...c!.labels, ...rule.labels };
      return [
        {
          name: `${rule.alert} fires`,
          interval: '30s',
          input_series: input(c!.series),
          alert_rule_test: [
            { eval_time: c!.before, alertname: rule.alert, exp_alerts: [] },
            {
              eval_time: c!.at,
              alertname: rule.alert,
              exp_alerts: [{ exp_labels: labels, exp_annotations: expectedAnnotations(rule, labels) }],
            },
          ],
        },
        {
          name: `${rule.alert} stays quiet below its threshold`,
          interval: '30s',
          input_series: input({ ...c!.series, ...c!.below }),
          alert_rule_test: [{ eval_time: c!.at, alertname: rule.alert, exp_alerts: [] }],
        },
      ];
    }),
  };
}

describe('Prometheus alert rules (deploy/prometheus/alerts.yml)', function () {
  this.timeout(300_000);
  before(() => ensurePrometheus());

  it('pass promtool check rules', () => {
    const r = promtool('check', 'rules', RULES);
    assert.equal(r.status, 0, r.output);
  });

  it('have every alert of the seed runbook index, plus the extras, with its severity', () => {
    const expected = Object.entries(SEED_ALERTS);
    const extras = ['KafkaProducerErrorsHigh', 'KafkaCircuitBreakerFailuresHigh', 'KafkaDeltaWriteLatencyHigh'];
    for (const [name, severity] of [...expected, ...extras.map((n) => [n, undefined])]) {
      const rule = rules.find((r) => r.alert === name);
      assert.ok(rule, `missing alert ${name}`);
      if (severity) assert.equal(rule.labels.severity, severity, name);
    }
    assert.ok(rules.find((r) => r.alert === 'KafkaDeltaWriteSuccessRateLow'));
  });

  it('query only metrics and labels the processes export', () => {
    for (const rule of rules) assert.deepEqual(expressionProblems(rule.expr), [], rule.alert);
  });

  it('each link to an existing runbook section', () => {
    for (const rule of rules) {
      const [file, anchor] = rule.annotations.runbook_url!.split('#');
      assert.match(file!, /^docs\/runbooks\/[\w-]+\.md$/, rule.alert);
      const full = path.join(ROOT, file!);
      assert.ok(fs.existsSync(full), `${rule.alert}: ${file} does not exist`);
      assert.ok(
        anchorsOf(fs.readFileSync(full, 'utf8')).includes(anchor!),
        `${rule.alert}: no section #${anchor} in ${file}`,
      );
    }
  });

  it('pass promtool test rules: each alert fires after its for: and stays quiet just below its threshold', () => {
    assert.deepEqual(
      rules.map((r) => r.alert).filter((a) => !CASES[a]),
      [],
      'every alert needs a case',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-tests-'));
    const file = path.join(dir, 'alerts.test.yml');
    fs.writeFileSync(file, YAML.stringify(unitTests()));
    const r = promtool('test', 'rules', file);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /SUCCESS/);
  });
});
