import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client, Connection } from '@temporalio/client';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { loadConfig } from '../../src/config/config';
import { dlqTables } from '../../src/config/settings';
import { DlqService } from '../../src/dlq/dlq-service';
import { METRICS } from '../../src/observability/metric-catalogue';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { shellCommands } from '../support/markdown';
import { until } from '../support/poll';
import {
  startPipelineProcess,
  stopPipelineProcess,
  type PipelineProcess,
  localPipelineEnv,
} from '../support/processes';
import { ensureStack, KAFKA_BROKER, ROOT, TEMPORAL_ADDRESS, createTopic } from '../support/stack';

const TEMPORAL = path.join(ROOT, '.tools', 'venv', 'bin', 'temporal');
const DOCS = [
  path.join(ROOT, 'README.md'),
  ...fs
    .readdirSync(path.join(ROOT, 'docs', 'runbooks'))
    .sort()
    .map((f) => path.join(ROOT, 'docs', 'runbooks', f)),
];

/** Commands that run until stopped; the test checks they are CLI commands but does not run them. */
const LONG_RUNNING =
  /^(?:[A-Z][A-Z0-9_]*=\S+ )*(?:(?:kafka-pipeline|node bin\/kafka-pipeline\.js) (?:start|bridge|worker|dlq-monitor|sample-server|codec-server|claimx-api-standin)\b|npm (?:start|test|run)\b)/;
/** Set-up that installs from a package registry (as `npm run stack:install` does), done before the tests run. */
const INSTALLS = /^export PATH="\$\(bash scripts\/use-node\.sh\)/;

/**
 * Every shell command of the README and the runbooks, run in order against the real local stack: a bridge (metrics
 * on :8000), a worker (:8001) and the DLQ monitor (:8003) started as operators start them, in a namespace, topic and
 * consumer group of the test's own (names replaced in the commands), with the sample file server on :8765. Each `<trace_id>` is a fresh
 * failed event made just before the command (its source fixed, so replays succeed). `kubectl` lines are checked
 * against deploy/k8s by k8s-manifests.test.ts; the one that scales the bridge is carried out on the local bridge.
 */
describe('runbook and README commands work against the local stack', function () {
  this.timeout(1_200_000);
  const id = randomUUID().slice(0, 8);
  const names = {
    namespace: `runbooks-${id}`,
    topic: `xact.events.runbooks-${id}`,
    group: `runbooks-${id}`,
    queue: `runbooks-${id}`,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-'));
  const env: Record<string, string> = localPipelineEnv(`runbooks-${id}`, path.join(dir, 'lakehouse'), {
    TEMPORAL_NAMESPACE: names.namespace,
    // The claimx group of the test's own (no claimx bridge runs here): `status` checks every domain's group, and
    // the default one may hold offsets another test's `npm start` left without members.
    CLAIMX_CONSUMER_GROUP: `claimx-runbooks-${id}`,
    RETRY_INITIAL_INTERVAL_S: '1',
    RETRY_MAX_INTERVAL_S: '1',
    RETRY_MAX_ATTEMPTS: '2',
    KAFKA_LAG_INTERVAL_S: '2',
    DLQ_METRICS_INTERVAL_S: '5',
    USER: 'runbook-test',
  });
  const bin = path.join(dir, 'bin');
  let sample: FileServerStandin;
  let bridge: PipelineProcess | undefined;
  let worker: PipelineProcess;
  let dlqMonitor: PipelineProcess;
  let connection: Connection;
  let dlq: DlqService;
  const kafka = new Kafka({ clientId: 'runbooks-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });

  /** Runs one command with bash (async: the sample server lives in this process and must keep answering). */
  const sh = (command: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-o', 'pipefail', '-c', command], {
        cwd: ROOT,
        env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
      child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
      const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });

  const startBridge = async () => {
    bridge = await startPipelineProcess('bridge', { ...env, METRICS_PORT: '8000' });
  };

  /** Produces an event whose one attachment fails until its outage is cleared; waits for it in the DLQ. */
  const failedEvent = async (): Promise<{ traceId: string; url: string }> => {
    const name = randomUUID().slice(0, 8);
    const event = sampleEvent(1, { sampleUrl: `${sample.url}/outage/${name}`, attachments: 1 });
    const traceId = String(event.traceId);
    await producer.send({ topic: names.topic, messages: [{ key: traceId, value: JSON.stringify(event) }] });
    await until(`${traceId} is in the DLQ`, async () => (await dlq.entries()).some((e) => e.traceId === traceId));
    sample.outage(name, false); // the cause is fixed: a replay now succeeds
    const url = (event.data as { attachments: string[] }).attachments[0]!;
    return { traceId, url };
  };

  before(async () => {
    await ensureStack();
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'kafka-pipeline'), `#!/bin/sh\nexec node "${ROOT}/bin/kafka-pipeline.js" "$@"\n`, {
      mode: 0o755,
    });
    fs.symlinkSync(TEMPORAL, path.join(bin, 'temporal'));
    // The production setup path: the namespace with its retention and the search attributes, by one script.
    const ns = await sh('scripts/setup-namespace.sh 2d');
    assert.equal(ns.status, 0, ns.stderr);
    assert.match(ns.stdout, new RegExp(`created ${names.namespace} with retention 48h`));
    const described = await sh(`temporal operator namespace describe --namespace ${names.namespace} -o json`);
    assert.match(described.stdout, /"workflowExecutionRetentionTtl": "172800s"/);
    const again = await sh('scripts/setup-namespace.sh');
    assert.match(again.stdout, /retention set to 720h[\s\S]*TraceId exists/, 'idempotent; 30 days by default');
    await createTopic(names.topic, 3);
    await producer.connect();
    sample = await startFileServerStandin({ port: 8765 });
    connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    dlq = new DlqService(
      new Client({ connection, namespace: names.namespace }),
      names.namespace,
      'http://127.0.0.1:8233',
      new LocalObjectStore(env.LAKEHOUSE_DIR!),
      dlqTables(loadConfig(env)),
    );
    // Search attributes of a new namespace take a moment to become queryable.
    await until('the DLQ query works in the new namespace', () =>
      dlq.entries().then(
        () => true,
        () => false,
      ),
    );
    worker = await startPipelineProcess('worker', { ...env, METRICS_PORT: '8001' });
    await startBridge();
    dlqMonitor = await startPipelineProcess('dlq-monitor', { ...env, METRICS_PORT: '8003' });
    // One complete event, so both Delta tables exist for `delta verify` / `delta compact`.
    const ok = sampleEvent(0, { sampleUrl: sample.url, attachments: 1 });
    await producer.send({ topic: names.topic, messages: [{ key: String(ok.traceId), value: JSON.stringify(ok) }] });
    await until('both tables exist', async () =>
      ['xact_events', 'xact_attachments'].every((t) =>
        fs.existsSync(path.join(env.LAKEHOUSE_DIR!, 'Tables', t, '_delta_log')),
      ),
    );
  });

  after(async () => {
    if (bridge) await stopPipelineProcess(bridge);
    if (worker) await stopPipelineProcess(worker);
    if (dlqMonitor) await stopPipelineProcess(dlqMonitor);
    await producer.disconnect();
    await sample?.close();
    await connection?.close();
  });

  it('the running bridge (:8000), worker (:8001) and DLQ monitor (:8003) register every metric of the catalogue', async () => {
    await until('the lag monitor exported the topic', async () =>
      (await fetch('http://127.0.0.1:8000/metrics').then((r) => r.text())).includes(
        `kafka_consumer_lag{topic="${names.topic}"`,
      ),
    );
    const served = {
      bridge: await fetch('http://127.0.0.1:8000/metrics').then((r) => r.text()),
      worker: await fetch('http://127.0.0.1:8001/metrics').then((r) => r.text()),
      'dlq-monitor': await fetch('http://127.0.0.1:8003/metrics').then((r) => r.text()),
    };
    for (const [name, def] of Object.entries(METRICS) as [
      string,
      { type: string; processes: readonly ('bridge' | 'worker' | 'dlq-monitor' | 'combined')[] },
    ][]) {
      // The combined process's own metrics: test/integration/combined-process.test.ts.
      for (const p of def.processes.filter((q) => q !== 'combined'))
        assert.match(served[p], new RegExp(`^# TYPE ${name} ${def.type}$`, 'm'), `${p}: ${name}`);
    }
    // `curl -s :8000/metrics | grep kafka_` shows the series the alerts need, with values, before any failure.
    for (const series of [
      'kafka_consumer_lag{',
      'kafka_connection_status{component="consumer"',
      'kafka_connection_status{component="temporal"',
      'kafka_circuit_breaker_state{component="temporal"',
      'kafka_consumer_assigned_partitions{',
      'kafka_messages_consumed_total{',
    ])
      assert.ok(served.bridge.includes(series), series);
    // The DLQ is counted and archived once per deployment, by the DLQ monitor, not by every bridge.
    assert.doesNotMatch(served.bridge, /^# TYPE pipeline_dlq_depth /m);
  });

  it('every command of the README and docs/runbooks succeeds', async () => {
    const failures: string[] = [];
    let ran = 0;
    for (const doc of DOCS) {
      for (const original of shellCommands(fs.readFileSync(doc, 'utf8'))) {
        const where = `${path.relative(ROOT, doc)}: ${original}`;
        const scale = /^kubectl -n kafka-pipeline scale deployment\/kafka-pipeline-bridge --replicas=(\d+)$/.exec(
          original,
        );
        if (scale) {
          if (scale[1] === '0' && bridge) {
            await stopPipelineProcess(bridge);
            bridge = undefined;
          } else if (scale[1] !== '0' && !bridge) await startBridge();
          continue;
        }
        if (original.startsWith('kubectl ') || LONG_RUNNING.test(original) || INSTALLS.test(original)) continue;
        let command = original
          .replaceAll('xact.events.raw', names.topic)
          .replaceAll('xact-event-ingester', names.group)
          .replaceAll('--task-queue kafka-pipeline', `--task-queue ${names.queue}`)
          .replaceAll('<reason>', 'runbook test')
          .replaceAll('<workspace>', 'ws')
          .replaceAll('<name>', 'lh');
        if (command.includes('<trace_id>')) {
          const { traceId, url } = await failedEvent();
          command = command
            .replaceAll('<trace_id>', traceId)
            .replaceAll('<old-url>', url)
            .replaceAll('<new-url>', url.replace('/outage/', '/files/x/'));
        }
        const left = /<[\w-]+>/.exec(command);
        if (left) {
          failures.push(`${where}\n  placeholder ${left[0]} has no value in this test`);
          continue;
        }
        ran++;
        const r = await sh(command);
        if (r.status !== 0)
          failures.push(
            `${where}\n  exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n  ')}`,
          );
      }
    }
    console.log(`      ${ran} commands run`);
    assert.deepEqual(failures, []);
    assert.ok(ran >= 40, `only ${ran} commands ran`);
  });

  it('every relative link of the runbooks points at a file that exists', () => {
    for (const doc of DOCS.slice(1)) {
      for (const [, target] of fs.readFileSync(doc, 'utf8').matchAll(/\]\((\.{1,2}\/[^)#]+)(?:#[^)]*)?\)/g)) {
        assert.ok(fs.existsSync(path.resolve(path.dirname(doc), target!)), `${path.basename(doc)}: ${target}`);
      }
    }
  });
});
