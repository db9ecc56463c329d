import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { sampleEvent } from '../src/domains/xact/sample';
import { createTopicOn } from '../test/support/stack';
import { benchTarget, targetClient, targetConfig, targetKafka } from './target';
import type { Figure } from './figures';

/** Creates a bench topic (6 partitions, the brokers' default replication) on the target, ready to use. */
export const createTopic = (topic: string, partitions = 6): Promise<void> =>
  createTopicOn(targetKafka(), topic, partitions);

export async function deleteTopic(topic: string): Promise<void> {
  const admin = targetKafka().admin();
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
  const producer = targetKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
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

/**
 * Terminates every run left on a bench task queue (runs started without a worker would stay open otherwise) and
 * waits until the server has done so: the terminations are a batch job that would otherwise run on during the next
 * measurement (it made the empty-workflow ceiling after 2,000 starts read 28 wf/s instead of ~70). The batch job is
 * the one `temporal workflow terminate --query` starts, asked through the target's own client (TLS, namespace).
 */
export async function terminateQueue(taskQueue: string, target = benchTarget()): Promise<void> {
  const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
  const namespace = targetConfig(target).temporalNamespace;
  const { connection, client } = await targetClient(target);
  try {
    const deadline = Date.now() + 300_000;
    let batchStarted = false;
    while ((await client.workflow.count(query)).count > 0 && Date.now() < deadline) {
      // One batch job per namespace at a time by default: retried while an earlier one still runs.
      batchStarted ||= await connection.workflowService
        .startBatchOperation({
          namespace,
          visibilityQuery: query,
          jobId: `bench-cleanup-${randomUUID()}`,
          reason: 'bench cleanup',
          terminationOperation: {},
        })
        .then(
          () => true,
          () => false,
        );
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
  const consumer = targetKafka().consumer({ groupId: `bench-${randomUUID()}` });
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

/**
 * The bridge rate's input: a new topic of `count` events (attachments nowhere: no worker runs) and the settings a
 * bridge consumes it with (its own group and task queue), for loadConfig.
 */
export async function bridgeBacklog(count: number): Promise<{ topic: string; env: Record<string, string> }> {
  const id = randomUUID().slice(0, 8);
  const topic = `bench-bridge-${id}`;
  await createTopic(topic);
  await produceEvents(topic, count, 'http://127.0.0.1:1', `b${id}`);
  const env = {
    ...benchTarget().env,
    XACT_EVENTS_TOPIC: topic,
    XACT_CONSUMER_GROUP: `bench-${id}`,
    TEMPORAL_TASK_QUEUE: `bench-bridge-${id}`,
    METRICS_PORT: '0',
  };
  return { topic, env };
}
