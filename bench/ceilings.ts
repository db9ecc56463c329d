import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { BridgeMetrics } from '../src/bridge/bridge-metrics';
import { bridgeBreakers } from '../src/bridge/bridge-deps';
import { KafkaBridge } from '../src/bridge/kafka-bridge';
import { CircuitBreakers } from '../src/resilience/circuit-breaker';
import { LocalObjectStore } from '../src/adapters/storage/local-store';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/observability/logger';
import { sampleEvent } from '../src/sample/sample-events';
import { execFileAsync, KAFKA_BROKER, ROOT } from '../test/support/stack';
import { mapBounded } from '../src/shared/bounded';
import { workerTuning } from '../src/worker/create-worker';
import { benchTemporal } from './temporal-server';
import type { Figure } from './figures';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const kafka = new Kafka({ clientId: 'bench', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });

export async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
}

export async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

/** Produces `count` realistic xact events (attachments pointing at `sampleUrl`) as fast as the broker takes them. */
export async function produceEvents(
  topic: string,
  count: number,
  sampleUrl: string,
  prefix: string,
  bytes?: number,
): Promise<string[]> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const traces: string[] = [];
  for (let i = 0; i < count; i += 1000) {
    const messages = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      const traceId = `${prefix}-${j}`;
      traces.push(traceId);
      const e = sampleEvent(j, { sampleUrl, attachments: 1, ...(bytes ? { bytes } : {}) });
      messages.push({ key: traceId, value: JSON.stringify({ ...e, traceId }) });
    }
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
  return traces;
}

/** Terminates every run left on a bench task queue (runs started without a worker would stay open otherwise). */
/**
 * Terminates every run left on a bench task queue (runs started without a worker would stay open otherwise) and
 * waits until the server has done so: the terminations are a batch job that would otherwise run on during the next
 * measurement (it made the empty-workflow ceiling after 2,000 starts read 28 wf/s instead of ~70).
 */
export async function terminateQueue(taskQueue: string, address = benchTemporal.address): Promise<void> {
  const temporal = path.join(ROOT, '.tools', 'venv', 'bin', 'temporal');
  const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
  await execFileAsync(
    temporal,
    ['--address', address, 'workflow', 'terminate', '--query', query, '--reason', 'bench cleanup', '--yes'],
    { timeout: 60_000 },
  ).catch(() => undefined);
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const deadline = Date.now() + 300_000;
    while ((await client.workflow.count(query)).count > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await connection.close();
  }
}

/** 1. Raw kafkajs consume rate on a topic like the pipeline's: the Kafka ceiling. */
export async function kafkaCeiling(count: number): Promise<Figure> {
  const topic = `bench-kafka-${randomUUID().slice(0, 8)}`;
  await createTopic(topic);
  await produceEvents(topic, count, 'http://127.0.0.1:1', 'k');
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let t0 = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (t0 === 0) t0 = performance.now();
        seen += batch.messages.length;
        if (seen >= count) resolve(performance.now());
      },
    });
  });
  const t1 = await done;
  await consumer.disconnect();
  await deleteTopic(topic);
  return {
    section: 'ceilings',
    name: 'kafkajs consume',
    value: count / ((t1 - t0) / 1000),
    unit: 'msg/s',
    note: `${count} messages, 6 partitions`,
  };
}

/** Workflows of `type` completed per second by one in-process worker with the pipeline worker's settings. */
async function completionRate(
  client: Client,
  address: string,
  type: string,
  args: unknown[],
  count: number,
  concurrency: number,
): Promise<number> {
  const queue = `bench-${type}-${randomUUID().slice(0, 8)}`;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue: queue,
    workflowsPath: require.resolve('./bench-workflows'),
    activities: { noop: async () => undefined },
    ...workerTuning(loadConfig({})),
  });
  const run = worker.run();
  // A few runs first, so the workflow bundle's first activation and the poller ramp-up are not timed.
  await mapBounded(range(Math.min(16, count)), concurrency, (i) =>
    client.workflow.execute(type, { taskQueue: queue, workflowId: `${queue}-warm-${i}`, args }),
  );
  const t0 = performance.now();
  await mapBounded(range(count), concurrency, (i) =>
    client.workflow.execute(type, { taskQueue: queue, workflowId: `${queue}-${i}`, args }).then(() => undefined),
  );
  const rate = count / ((performance.now() - t0) / 1000);
  worker.shutdown();
  await run;
  await connection.close();
  return rate;
}

export interface TemporalCeilings {
  readonly startsPerS: number;
  readonly emptyPerS: number;
  readonly shapePerS: number;
  readonly legacyShapePerS: number;
}

/**
 * 2. Temporal alone, same run: raw start rate at the bridge's concurrency, and the completion rates of the empty
 * workflow, of the pipeline's workflow shape with no-op steps, and of the shape before session 8 (4 regular
 * activities). `address` lets the bench ask a second server with other settings the same questions.
 */
export async function temporalCeilings(
  starts: number,
  completions: number,
  concurrency: number,
  address = benchTemporal.address,
): Promise<TemporalCeilings> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const idle = `bench-starts-${randomUUID().slice(0, 8)}`;
  const t0 = performance.now();
  await mapBounded(range(starts), concurrency, (i) =>
    client.workflow
      .start('benchNoop', { taskQueue: idle, workflowId: `${idle}-${i}`, args: [0] })
      .then(() => undefined),
  );
  const startsPerS = starts / ((performance.now() - t0) / 1000);
  await terminateQueue(idle, address);
  const emptyPerS = await completionRate(client, address, 'benchNoop', [0], completions, concurrency);
  const shapePerS = await completionRate(client, address, 'benchPipelineShape', [], completions, concurrency);
  const legacyShapePerS = await completionRate(client, address, 'benchNoop', [4], completions, concurrency);
  await connection.close();
  return { startsPerS, emptyPerS, shapePerS, legacyShapePerS };
}

export function ceilingFigures(c: TemporalCeilings, starts: number, completions: number): Figure[] {
  const note = `${completions} workflows, 64 in flight, 1 in-process worker (pipeline worker settings)`;
  return [
    {
      section: 'ceilings',
      name: 'Temporal workflow starts',
      value: c.startsPerS,
      unit: 'starts/s',
      note: `${starts} starts, 64 in flight`,
    },
    { section: 'ceilings', name: 'Temporal empty workflow', value: c.emptyPerS, unit: 'wf/s', note },
    {
      section: 'ceilings',
      name: 'pipeline workflow shape, no-op steps (local, regular, local)',
      value: c.shapePerS,
      unit: 'wf/s',
      baseline: { name: 'empty workflow wf/s', value: c.emptyPerS },
      ratio: c.shapePerS / c.emptyPerS,
      note,
    },
    {
      section: 'ceilings',
      name: 'shape before session 8, no-op steps (4 regular activities)',
      value: c.legacyShapePerS,
      unit: 'wf/s',
      baseline: { name: 'empty workflow wf/s', value: c.emptyPerS },
      ratio: c.legacyShapePerS / c.emptyPerS,
      note,
    },
  ];
}

/** 3. Bridge: events/s from Kafka to accepted workflow starts (no worker on the queue: starts only). */
export async function bridgeRate(count: number, rawStartRate: number): Promise<Figure> {
  const id = randomUUID().slice(0, 8);
  const topic = `bench-bridge-${id}`;
  await createTopic(topic);
  await produceEvents(topic, count, 'http://127.0.0.1:1', `b${id}`);
  const config = loadConfig({
    TEMPORAL_ADDRESS: benchTemporal.address,
    XACT_EVENTS_TOPIC: topic,
    XACT_CONSUMER_GROUP: `bench-${id}`,
    TEMPORAL_TASK_QUEUE: `bench-bridge-${id}`,
    METRICS_PORT: '0',
  });
  const connection = await Connection.connect({ address: benchTemporal.address });
  const registry = new Registry();
  const bridge = new KafkaBridge({
    config,
    client: new Client({ connection }),
    store: new LocalObjectStore(path.join(ROOT, '.state', 'bench-quarantine')),
    log: createLogger('bridge', { level: 'error', write: () => undefined }),
    metrics: new BridgeMetrics(registry, topic, config.consumerGroup),
    breakers: bridgeBreakers(new CircuitBreakers(undefined), config),
  });
  const started = async () => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === 'pipeline_workflow_starts_total');
    return ((m?.values ?? []) as { value: number }[]).reduce((n, v) => n + v.value, 0);
  };
  // Timed from the first accepted start, so the consumer-group join (seconds, once per process) is not counted.
  await bridge.start();
  while ((await started()) < 1) await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  while ((await started()) < count) await new Promise((r) => setTimeout(r, 20));
  const rate = (count - 1) / ((performance.now() - t0) / 1000);
  await bridge.stop();
  await connection.close();
  await terminateQueue(config.taskQueue);
  await deleteTopic(topic);
  return {
    section: 'bridge',
    name: 'bridge Kafka -> accepted starts',
    value: rate,
    unit: 'events/s',
    baseline: { name: 'raw starts/s', value: rawStartRate },
    ratio: rate / rawStartRate,
    target: 'ratio >= 0.9',
    note: `${count} events, from the first start (group join excluded)`,
  };
}
