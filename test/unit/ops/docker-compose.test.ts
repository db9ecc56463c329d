import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../../../src/config/config';
import { SEARCH_ATTRIBUTES } from '../../../src/shared/search-attributes';
import { PIPELINE_TOPICS } from '../../../src/shared/topics';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const versions = Object.fromEntries(
  [...fs.readFileSync(path.join(ROOT, 'tools', 'versions.env'), 'utf8').matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [
    m[1],
    m[2],
  ]),
);
const services = compose.services as Record<
  string,
  { image?: string; ports?: string[]; command?: string[]; environment?: Record<string, string> }
>;
const hostPorts = (name: string): string[] => (services[name]!.ports ?? []).map((p) => p.split(':')[0]!);
const envNames = new Set(Object.values(CONFIG_KEYS).map((k) => k.env));
const defaults = loadConfig({});
const defaultsOf = (name: string) => loadConfig(services[name]?.environment ?? {});

describe('docker-compose.yml', () => {
  it('has Kafka, Temporal (PostgreSQL, server, setup, UI), Prometheus, Grafana, the worker, a bridge per domain and the DLQ monitor', () => {
    for (const name of [
      'kafka',
      'kafka-init',
      'temporal-postgres',
      'temporal-schema',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'prometheus',
      'grafana',
      'worker',
      'bridge',
      'bridge-claimx',
      'dlq-monitor',
    ]) {
      assert.ok(services[name], `service ${name} missing`);
    }
  });

  it('publishes the same host ports as the local stack and npm start', () => {
    assert.deepEqual(hostPorts('kafka'), ['9092']);
    assert.deepEqual(hostPorts('temporal'), ['7233']);
    assert.deepEqual(hostPorts('temporal-ui'), ['8233']);
    assert.deepEqual(hostPorts('bridge'), [String(defaults.metricsPort)]);
    assert.deepEqual(hostPorts('worker'), [String(defaults.metricsPort + 1)]);
    assert.deepEqual(hostPorts('bridge-claimx'), [String(defaults.metricsPort + 2)]);
    assert.deepEqual(hostPorts('dlq-monitor'), [String(defaults.metricsPort + 3)]);
  });

  it('runs one DLQ monitor, on the lakehouse volume, scraped by Prometheus', () => {
    assert.deepEqual(
      Object.entries(services)
        .filter(([, s]) => s.command?.[0] === 'dlq-monitor')
        .map(([name]) => name),
      ['dlq-monitor'],
    );
    const volumes = (services['dlq-monitor'] as { volumes?: string[] }).volumes ?? [];
    assert.ok(volumes.includes(`lakehouse:${defaultsOf('dlq-monitor').lakehouseDir}`), volumes.join(','));
    const prometheus = parse(fs.readFileSync(path.join(ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    assert.ok(targets.includes('dlq-monitor:8000'), targets.join(','));
  });

  it('runs the pinned Kafka, Temporal server and Web UI versions (those of the cluster profile)', () => {
    assert.equal(services.kafka!.image, `apache/kafka:${versions.KAFKA_VERSION}`);
    assert.equal(services.temporal!.image, `temporalio/server:${versions.TEMPORAL_SERVER_VERSION}`);
    assert.equal(services['temporal-schema']!.image, `temporalio/admin-tools:${versions.TEMPORAL_SERVER_VERSION}`);
    assert.equal(services['temporal-setup']!.image, `temporalio/admin-tools:${versions.TEMPORAL_SERVER_VERSION}`);
    assert.equal(services['temporal-ui']!.image, `temporalio/ui:${versions.TEMPORAL_UI_VERSION}`);
  });

  it('runs Temporal on PostgreSQL with the shards and dynamic configuration of the local stack', () => {
    const env = services.temporal!.environment ?? {};
    assert.equal(env.DB, 'postgres12');
    const clusterScript = fs.readFileSync(path.join(ROOT, 'scripts', 'cluster.sh'), 'utf8');
    assert.equal(
      env.NUM_HISTORY_SHARDS,
      /^HISTORY_SHARDS="\$\{KP_CLUSTER_HISTORY_SHARDS:-(\d+)\}"$/m.exec(clusterScript)?.[1],
    );
    const conf = Object.fromEntries(
      fs
        .readFileSync(path.join(ROOT, 'tools', 'temporal-dev-server.conf'), 'utf8')
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), parse(l.slice(l.indexOf('=') + 1)) as unknown]),
    );
    const dynamic = parse(
      fs.readFileSync(path.join(ROOT, 'deploy', 'compose', 'temporal-dynamicconfig.yaml'), 'utf8'),
    ) as Record<string, { value: unknown }[]>;
    assert.deepEqual(Object.fromEntries(Object.entries(dynamic).map(([k, v]) => [k, v[0]!.value])), conf);
  });

  it('starts the pipeline processes only once the namespace and its search attributes are set up', () => {
    for (const name of ['worker', 'bridge', 'bridge-claimx', 'dlq-monitor']) {
      const deps = (services[name] as { depends_on?: Record<string, { condition: string }> }).depends_on ?? {};
      assert.equal(deps['temporal-setup']?.condition, 'service_completed_successfully', name);
    }
  });

  for (const name of ['worker', 'bridge', 'bridge-claimx', 'dlq-monitor']) {
    it(`gives the ${name} only configuration keys that exist, with valid values`, () => {
      const env = services[name]!.environment ?? {};
      for (const key of Object.keys(env)) assert.ok(envNames.has(key), `${key} is not a config key`);
      const config = loadConfig(env);
      for (const same of ['eventsTopic', 'consumerGroup', 'temporalNamespace', 'taskQueue', 'metricsPort'] as const) {
        assert.deepEqual(config[same], defaults[same], `${same} differs from the default`);
      }
    });
  }

  it('creates every pipeline topic up front with its partition count', () => {
    const command = (services['kafka-init']!.command ?? []).join(' ');
    for (const topic of PIPELINE_TOPICS) {
      assert.match(
        command,
        new RegExp(`--topic ${topic.name.replace(/\./g, '\\.')} --partitions ${topic.partitions}\\b`),
      );
    }
  });

  it('registers the same search attributes as the local stack script', () => {
    const registered = (services['temporal-setup']!.environment?.SEARCH_ATTRIBUTES ?? '').split(/\s+/);
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'stack.sh'), 'utf8');
    const fromScript = /^SEARCH_ATTRIBUTES=\(([^)]*)\)/m.exec(script)?.[1]!.split(/\s+/).filter(Boolean);
    const expected = Object.values(SEARCH_ATTRIBUTES).map((k) => `${k.name}=Keyword`);
    assert.deepEqual(registered, expected);
    assert.deepEqual(fromScript, expected);
  });

  it("scrapes the worker's Temporal SDK metrics, which the Temporal Workers dashboard shows", () => {
    const port = services.worker!.environment?.TEMPORAL_SDK_METRICS_PORT;
    assert.ok(Number(port) > 0, 'the worker serves SDK metrics');
    assert.equal(services.worker!.environment?.KAFKA_BROKERS, 'kafka:29092', 'and keeps the shared environment');
    const prometheus = parse(fs.readFileSync(path.join(ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    assert.ok(targets.includes(`worker:${port}`), `prometheus.yml scrapes worker:${port}`);
    const dashboard = fs.readFileSync(path.join(ROOT, 'deploy', 'grafana', 'temporal-workers.json'), 'utf8');
    assert.match(dashboard, /temporal_worker_task_slots_available/, 'the dashboard reads SDK metrics');
  });
});
