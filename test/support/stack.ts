import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { until } from './poll';

export const ROOT = path.resolve(__dirname, '..', '..');
export const STACK_SCRIPT = path.join(ROOT, 'scripts', 'stack.sh');
export const TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const KAFKA_BROKER = '127.0.0.1:9092';
/** The stacks' state folder, as scripts/stack.sh and scripts/cluster.sh read it (KP_STATE_DIR, else .state). */
export const STACK_STATE = process.env.KP_STATE_DIR ?? path.join(ROOT, '.state');
export const execFileAsync = promisify(execFile);

let ensured: Promise<void> | undefined;
let startedByTests = false;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Integration tests call this in `before`: it starts the real local stack through the project's own script
 * when Temporal or Kafka is not answering. A stack the tests started is stopped after the run
 * (unless KP_KEEP_STACK=1); a stack that was already up is left alone.
 */
export function ensureStack(): Promise<void> {
  ensured ??= (async () => {
    const [temporal, kafka] = await Promise.all([portOpen(7233), portOpen(9092)]);
    if (temporal && kafka) {
      // Still run `up` so topics and search attributes are in place; it is idempotent and fast when running.
      await execFileAsync('bash', [STACK_SCRIPT, 'up'], { timeout: 180_000 });
      return;
    }
    startedByTests = true;
    await execFileAsync('bash', [STACK_SCRIPT, 'up'], { timeout: 300_000 });
  })();
  return ensured;
}

export async function stopStackIfStartedByTests(): Promise<void> {
  if (startedByTests && process.env.KP_KEEP_STACK !== '1') {
    await execFileAsync('bash', [STACK_SCRIPT, 'down'], { timeout: 120_000 });
  }
}

/** Creates a topic of the test's own on the local broker (it does not auto-create topics). */
export function createTopic(
  topic: string,
  numPartitions = 1,
  configEntries: { name: string; value: string }[] = [],
): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-admin', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  return createTopicOn(kafka, topic, numPartitions, configEntries);
}

/**
 * Creates a topic through `kafka` (the local broker, the cluster profile's brokers) and waits until each partition
 * has a leader and all its replicas in sync.
 */
export async function createTopicOn(
  kafka: Kafka,
  topic: string,
  numPartitions: number,
  configEntries: { name: string; value: string }[] = [],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }], waitForLeaders: false });
    // kafkajs's waitForLeaders gives up on "does not host this topic-partition", which a broker restarted a moment
    // ago (the outage tests), or one of the cluster's brokers just after the creation, answers until its metadata
    // caught up: wait for every leader and in-sync replica here instead.
    await until(
      `topic ${topic} has a leader and all replicas in sync for each partition`,
      async () => {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
        const partitions = meta?.topics[0]?.partitions ?? [];
        return (
          partitions.length === numPartitions &&
          partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length)
        );
      },
      undefined,
      60_000,
    );
  } finally {
    await admin.disconnect();
  }
}
