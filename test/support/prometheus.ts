import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { freePort } from './free-port';
import { until } from './poll';
import { ROOT } from './stack';

/**
 * Makes sure Debian's `prometheus` package (prometheus + promtool) is installed: installs it with apt-get when it is
 * missing and we may (root), else fails with what to run. scripts/install-tools.sh does the same for CI.
 */
export function ensurePrometheus(): void {
  if (spawnSync('promtool', ['--version']).status === 0) return;
  const root = process.getuid?.() === 0;
  if (!root || spawnSync('apt-get', ['--version']).status !== 0)
    throw new Error('promtool is missing: install Debian package prometheus (apt-get install prometheus)');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Runs promtool; returns its exit status and combined output. */
export function promtool(...args: string[]): { status: number; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
}

/**
 * The game day's overlay of deploy/prometheus/alerts.yml: the same rules and expressions, evaluated every second, with
 * `for:` cut to 2 s, rate windows cut to 15 s and the thresholds of the alerts exercised here scaled down to a
 * test's volume. Nothing else changes, so what fires here is what fires in production, faster.
 */
export function alertRulesOverlay(scaled: Record<string, [string, string]>): unknown {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'prometheus', 'alerts.yml'), 'utf8')) as {
    groups: { name: string; interval?: string; rules: Rule[] }[];
  };
  for (const group of doc.groups) {
    group.interval = '1s';
    for (const rule of group.rules) {
      rule.expr = rule.expr.replace(/\[(?:5m|10m|1h)\]/g, '[15s]');
      const s = scaled[rule.alert];
      if (s) {
        assert.ok(rule.expr.includes(s[0]), `${rule.alert}: threshold ${s[0]} not found`);
        rule.expr = rule.expr.replace(s[0], s[1]);
      }
      if (rule.for) rule.for = '2s';
    }
  }
  return doc;
}

export interface RunningPrometheus {
  readonly url: string;
  stop(): void;
}

/** Starts a real Prometheus (1 s scrape and evaluation) with `rules`, scraping `targets` (job name -> host:port). */
export async function startPrometheus(
  dir: string,
  rules: string,
  targets: Record<string, string>,
): Promise<RunningPrometheus> {
  fs.writeFileSync(path.join(dir, 'rules.yml'), rules);
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    YAML.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ['rules.yml'],
      scrape_configs: Object.entries(targets).map(([job, target]) => ({
        job_name: job,
        static_configs: [{ targets: [target] }],
      })),
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  await until(
    'Prometheus is ready',
    () =>
      fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ),
    undefined,
    60_000,
  );
  return { url, stop: () => child.kill('SIGTERM') };
}
