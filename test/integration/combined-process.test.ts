import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client, Connection } from '@temporalio/client';
import { METRICS } from '../../src/observability/metric-catalogue';
import { scrape, total } from '../../src/observability/scrape';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { xactEventId } from '../../src/shared/uuid5';
import { readWithDeltaRs } from '../support/delta-rs';
import { freePort } from '../support/free-port';
import { until } from '../support/poll';
import {
  localPipelineEnv,
  startPipelineProcess,
  stopPipelineProcess,
  type PipelineProcess,
} from '../support/processes';
import { createTopic, ensureStack, KAFKA_BROKER, TEMPORAL_ADDRESS } from '../support/stack';

const EVENTS = 12;

/**
 * `kafka-pipeline run` (issue 32 item 3): the bridge and the worker in one process on one Temporal connection,
 * starting runs with eager workflow start; one /metrics and /health port for both; SIGTERM drains both.
 */
describe('the combined process (kafka-pipeline run)', function () {
  this.timeout(600_000);
  const id = randomUUID().slice(0, 8);
  const name = `combined-${id}`;
  let sample: FileServerStandin;
  let lakehouse: string;
  let env: ReturnType<typeof localPipelineEnv>;
  let port: number;
  let proc: PipelineProcess | undefined;
  let connection: Connection | undefined;
  const metrics = () => scrape(`http://127.0.0.1:${port}/metrics`);
  const tail = async () => proc?.output.slice(-20).join('\n') ?? '';

  before(async () => {
    await ensureStack();
    sample = await startFileServerStandin();
    lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-combined-'));
    port = await freePort();
    env = localPipelineEnv(name, lakehouse, {
      METRICS_PORT: String(port),
      DELTA_COMMIT_INTERVAL_MS: '0',
      KAFKA_LAG_INTERVAL_S: '1',
      LOG_LEVEL: 'info',
    });
    await createTopic(env.XACT_EVENTS_TOPIC!, 2);
    proc = await startPipelineProcess('run', env);
  });
  after(async () => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    await sample?.close();
    await connection?.close();
    fs.rmSync(lakehouse, { recursive: true, force: true });
  });

  it('is ready once both parts are, and serves every bridge, worker and combined metric on its one port', async () => {
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200;
    await until('the combined process is ready', ready, tail);
    const missing = async () => {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
      // The DLQ monitor's metrics are its own process's (kafka-pipeline dlq-monitor), one per deployment.
      return Object.entries(METRICS)
        .filter(([, def]) => (def.processes as readonly string[]).some((p) => p !== 'dlq-monitor'))
        .filter(([metric, def]) => !new RegExp(`^# TYPE ${metric} ${def.type}$`, 'm').test(text))
        .map(([metric]) => metric);
    };
    // The lag gauge appears with the lag monitor's first refresh.
    await until(
      'every metric of the catalogue is served',
      async () => (await missing()).length === 0,
      async () => (await missing()).join(', '),
    );
    const samples = await metrics();
    assert.ok(samples?.some((s) => s.labels.service === 'combined'));
  });

  it('runs every event once, some with eager start, and drains both parts on SIGTERM', async () => {
    const traces = Array.from({ length: EVENTS }, (_, i) => `${name}-${i}`);
    const kafka = new Kafka({ clientId: name, brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: env.XACT_EVENTS_TOPIC,
      messages: traces.map((traceId, i) => ({
        key: traceId,
        value: JSON.stringify({ ...sampleEvent(i, { sampleUrl: sample.url, attachments: 1, bytes: 4_000 }), traceId }),
      })),
    });
    await producer.disconnect();

    connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    const client = new Client({ connection });
    const completed = async () =>
      (await client.workflow.count(`TaskQueue = '${name}' AND ExecutionStatus = 'Completed'`)).count;
    await until(`${EVENTS} runs completed`, async () => (await completed()) >= EVENTS, tail);
    const open = await client.workflow.count(`TaskQueue = '${name}' AND ExecutionStatus != 'Completed'`);
    assert.equal(open.count, 0, 'no failed or running runs');

    const samples = await metrics();
    const eager = total(samples, 'pipeline_workflow_eager_starts_total', { eager: 'true' });
    const notEager = total(samples, 'pipeline_workflow_eager_starts_total', { eager: 'false' });
    assert.equal(eager + notEager, EVENTS, 'every accepted start is counted once');
    assert.ok(eager > 0, `eager starts: ${eager} of ${EVENTS}`);

    const { code } = await stopPipelineProcess(proc!);
    const out = proc!.output;
    assert.equal(code, 0, out.slice(-20).join('\n'));
    const at = (text: string) => out.findIndex((l) => l.includes(text));
    assert.ok(at('bridge stopped') >= 0 && at('worker stopped') >= 0, out.slice(-20).join('\n'));
    assert.ok(at('bridge stopped') < at('worker draining'), 'the bridge finishes its starts before the worker drains');
    assert.ok(!out.some((l) => l.includes('did not exit by itself')), out.slice(-40).join('\n'));

    const events = await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_events'));
    const attachments = await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_attachments'));
    assert.equal(events.rows.length, EVENTS, 'one event row per event');
    assert.deepEqual(new Set(events.rows.map((r) => r.event_id)), new Set(traces.map(xactEventId)));
    assert.equal(attachments.rows.length, EVENTS, 'one inventory row per attachment');
  });
});
