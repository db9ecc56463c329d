import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import YAML from 'yaml';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { freePort } from '../support/free-port';
import { until } from '../support/poll';
import {
  startPipelineProcess,
  stopPipelineProcess,
  type PipelineProcess,
  localPipelineEnv,
} from '../support/processes';
import { alertRulesOverlay, ensurePrometheus, startPrometheus, type RunningPrometheus } from '../support/prometheus';
import { ensureStack, execFileAsync, KAFKA_BROKER, STACK_SCRIPT, createTopic } from '../support/stack';

interface Measured {
  alert: string;
  fault: string;
  firedAfterS: number;
  resolvedAfterS: number;
}

/**
 * Game day on the real local stack: a real Prometheus (Debian package) scrapes a real bridge and worker with our
 * alert rules (test overlay). Faults are induced one after another; each must fire its alert, and the alert must
 * resolve after the fault is removed. The times are printed and written to game-day.json in the test's folder.
 */
describe('game day: real Prometheus, real faults, our alerts fire and resolve', function () {
  this.timeout(1_200_000);
  const id = randomUUID().slice(0, 8);
  const topic = `xact.events.gameday-${id}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gameday-'));
  const lakehouse = path.join(dir, 'lakehouse');
  const kafka = new Kafka({ clientId: 'gameday', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const results: Measured[] = [];
  let producer: Producer;
  let sample: FileServerStandin;
  let prometheus: RunningPrometheus;
  let promUrl: string;
  let bridge: PipelineProcess;
  let worker: PipelineProcess | undefined;
  let env: Record<string, string>;
  let workerPort: number;
  let n = 0;

  const produce = async (count: number, route: 'files' | 'status/404') => {
    const events = Array.from({ length: count }, () => {
      const e = sampleEvent(n++, { sampleUrl: sample.url, attachments: 1 });
      const data = e.data as { attachments: string[] };
      data.attachments = data.attachments.map((u) => u.replace('/files/', `/${route}/`));
      return e;
    });
    await producer.send({
      topic,
      messages: events.map((e) => ({ key: String(e.traceId), value: JSON.stringify(e) })),
    });
  };

  const firing = async (): Promise<{ alertname: string; labels: Record<string, string>; state: string }[]> => {
    const body = (await fetch(`${promUrl}/api/v1/alerts`).then((r) => r.json())) as {
      data: { alerts: { labels: Record<string, string>; state: string }[] };
    };
    return body.data.alerts.map((a) => ({ alertname: a.labels.alertname ?? '', labels: a.labels, state: a.state }));
  };
  /** Alerts named `alert` whose labels include `labels`, pending or firing. */
  const active = async (alert: string, labels: Record<string, string> = {}) =>
    (await firing()).filter(
      (a) => a.alertname === alert && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
    );
  const isFiring = async (alert: string, labels?: Record<string, string>) =>
    (await active(alert, labels)).some((a) => a.state === 'firing');
  const isQuiet = async (alert: string, labels?: Record<string, string>) => (await active(alert, labels)).length === 0;

  /** Induces a fault, waits for the alert to fire, removes the fault, waits for it to resolve; records both times. */
  const drill = async (
    fault: string,
    alerts: { alert: string; labels?: Record<string, string> }[],
    induce: () => Promise<void>,
    repair: () => Promise<void>,
  ) => {
    const t0 = Date.now();
    await induce();
    const fired: Record<string, number> = {};
    for (const { alert, labels } of alerts) {
      await until(
        `${alert} fires (${fault})`,
        () => isFiring(alert, labels),
        async () => JSON.stringify(await firing()),
        240_000,
      );
      fired[alert] = (Date.now() - t0) / 1000;
    }
    const t1 = Date.now();
    await repair();
    for (const { alert, labels } of alerts) {
      await until(
        `${alert} resolves (${fault})`,
        () => isQuiet(alert, labels),
        async () => JSON.stringify(await firing()),
        240_000,
      );
      results.push({ alert, fault, firedAfterS: fired[alert]!, resolvedAfterS: (Date.now() - t1) / 1000 });
    }
  };

  before(async () => {
    ensurePrometheus();
    await ensureStack();
    sample = await startFileServerStandin();
    await createTopic(topic, 3);
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const bridgePort = await freePort();
    workerPort = await freePort();
    env = localPipelineEnv(`gameday-${id}`, lakehouse, {
      RETRY_INITIAL_INTERVAL_S: '1',
      RETRY_MAX_INTERVAL_S: '2',
      RETRY_MAX_ATTEMPTS: '2',
      KAFKA_LAG_INTERVAL_S: '1',
      DLQ_METRICS_INTERVAL_S: '2',
      BREAKER_FAILURE_THRESHOLD: '3',
      BREAKER_OPEN_S: '5',
      BRIDGE_MAX_OPEN_WORKFLOWS: '10',
      DELTA_COMMIT_INTERVAL_MS: '0',
    });
    worker = await startPipelineProcess('worker', { ...env, METRICS_PORT: String(workerPort) });
    bridge = await startPipelineProcess('bridge', { ...env, METRICS_PORT: String(bridgePort) });

    prometheus = await startPrometheus(
      dir,
      YAML.stringify(
        alertRulesOverlay({ KafkaConsumerLagHigh: ['> 10000', '> 50'], KafkaDLQGrowthWarning: ['> 5', '> 2'] }),
      ),
      { 'kafka-pipeline-bridge': `127.0.0.1:${bridgePort}`, 'kafka-pipeline-worker': `127.0.0.1:${workerPort}` },
    );
    promUrl = prometheus.url;
    await until('Prometheus scrapes both processes', async () => {
      const t = (await fetch(`${promUrl}/api/v1/targets`).then((r) => r.json())) as {
        data: { activeTargets: { health: string }[] };
      };
      return t.data.activeTargets.length === 2 && t.data.activeTargets.every((a) => a.health === 'up');
    });
    // A healthy start: events flow and nothing fires (both tables exist for the Delta drill).
    await produce(5, 'files');
    await until('both tables exist', async () =>
      ['xact_events', 'xact_attachments'].every((t) => fs.existsSync(path.join(lakehouse, 'Tables', t, '_delta_log'))),
    );
  });

  after(async () => {
    try {
      execFileSync('chattr', ['-i', path.join(lakehouse, 'Tables', 'xact_events', '_delta_log')], { stdio: 'ignore' });
    } catch {
      // not set
    }
    await execFileAsync('bash', [STACK_SCRIPT, 'up', 'temporal'], { timeout: 180_000 });
    prometheus?.stop();
    if (bridge) await stopPipelineProcess(bridge);
    if (worker) await stopPipelineProcess(worker);
    await producer?.disconnect();
    await sample?.close();
    if (results.length > 0) {
      fs.writeFileSync(path.join(dir, 'game-day.json'), JSON.stringify(results, null, 2));
      console.log(`      game day (${path.join(dir, 'game-day.json')}):`);
      for (const r of results)
        console.log(
          `        ${r.alert.padEnd(28)} ${r.fault.padEnd(36)} fired after ${r.firedAfterS.toFixed(1)} s, resolved ${r.resolvedAfterS.toFixed(1)} s after the repair`,
        );
    }
  });

  it('starts healthy: no alert of ours fires while events flow', async () => {
    const active = (await firing()).filter((a) => a.state === 'firing');
    assert.deepEqual(active, []);
  });

  it('DLQ growth: the source answers 404 for every attachment', async () => {
    await drill(
      'attachments answer HTTP 404',
      [{ alert: 'KafkaDLQGrowthWarning', labels: { domain: 'xact' } }],
      () => produce(10, 'status/404'),
      async () => undefined, // no more bad events; the growth stops
    );
  });

  it('Delta write failures: the events table log made unwritable (chattr +i)', async () => {
    const log = path.join(lakehouse, 'Tables', 'xact_events', '_delta_log');
    await drill(
      'xact_events/_delta_log immutable',
      [
        { alert: 'KafkaDeltaWriteFailures', labels: { table: 'xact_events' } },
        { alert: 'KafkaCircuitBreakerOpen', labels: { component: 'delta_writer' } },
      ],
      async () => {
        execFileSync('chattr', ['+i', log]);
        await produce(5, 'files');
      },
      async () => {
        execFileSync('chattr', ['-i', log]);
      },
    );
  });

  it('consumer lag: workers stopped under load (the bridge holds back at BRIDGE_MAX_OPEN_WORKFLOWS)', async () => {
    await drill(
      'workers stopped, 150 events produced',
      [
        { alert: 'KafkaConsumerLagHigh', labels: { topic } },
        { alert: 'BridgePausedTooLong', labels: {} },
      ],
      async () => {
        await stopPipelineProcess(worker!);
        worker = undefined;
        await produce(150, 'files');
      },
      async () => {
        worker = await startPipelineProcess('worker', { ...env, METRICS_PORT: String(workerPort) });
      },
    );
  });

  it('Temporal stopped: the temporal breaker opens and the bridge loses Temporal', async () => {
    await drill(
      'Temporal dev server stopped',
      [
        { alert: 'KafkaProducerDisconnected', labels: {} },
        { alert: 'KafkaCircuitBreakerOpen', labels: { component: 'temporal' } },
      ],
      async () => {
        await execFileAsync('bash', [STACK_SCRIPT, 'down', 'temporal'], { timeout: 120_000 });
        await produce(10, 'files');
      },
      async () => {
        await execFileAsync('bash', [STACK_SCRIPT, 'up', 'temporal'], { timeout: 180_000 });
      },
    );
    assert.ok(results.length >= 7);
  });
});
