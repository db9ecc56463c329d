// Creates the pipeline's topics on the local broker (idempotent) and checks their partition counts.
//   create-topics.ts [broker]                       the dev profile's plaintext broker (default 127.0.0.1:9092)
//   create-topics.ts --from-env [--replication-factor N]   the brokers and security of the KAFKA_* keys in the
//                                                   environment (the cluster profile: SASL_SSL, 3 brokers)
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';
import { kafkaConfig } from '../src/adapters/kafka/client-config';
import { loadConfig } from '../src/config/config';
import { handleProcessWarnings, printWarning } from '../src/observability/process-warnings';
import { PIPELINE_TOPICS } from '../src/shared/topics';

function clientConfig(args: readonly string[]): KafkaConfig {
  const base = { clientId: 'kafka-pipeline-stack', logLevel: logLevel.NOTHING };
  if (!args.includes('--from-env')) return { ...base, brokers: [args[0] ?? '127.0.0.1:9092'] };
  return kafkaConfig(loadConfig(process.env), base);
}

function replicationFactor(args: readonly string[]): number {
  const at = args.indexOf('--replication-factor');
  const n = at < 0 ? 1 : Number(args[at + 1]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--replication-factor takes a positive integer, got ${args[at + 1]}`);
  return n;
}

/** Kafka's answers while brokers that just started still agree on metadata (kafkajs's wait for leaders gives up). */
const SETTLING = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_CONTROLLER',
]);
const settling = (err: unknown): boolean =>
  SETTLING.has((err as { type?: string }).type ?? '') || /does not host this topic-partition/.test(String(err));

/** Creates what is missing and checks the partition counts; retried for up to a minute while the brokers settle. */
async function ensureTopics(admin: Admin, replicas: number): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  let created: string[] = [];
  for (;;) {
    try {
      const existing = new Set(await admin.listTopics());
      const missing = PIPELINE_TOPICS.filter((t) => !existing.has(t.name));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: replicas })),
        });
        created = [...created, ...missing.map((t) => t.name)];
      }
      const metadata = await admin.fetchTopicMetadata({ topics: PIPELINE_TOPICS.map((t) => t.name) });
      for (const spec of PIPELINE_TOPICS) {
        const found = metadata.topics.find((t) => t.name === spec.name);
        const count = found?.partitions.length ?? 0;
        if (count !== spec.partitions) {
          throw new Error(`topic ${spec.name} has ${count} partitions, expected ${spec.partitions}`);
        }
      }
      return created;
    } catch (err) {
      if (!settling(err) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main(args: readonly string[]): Promise<void> {
  const admin = new Kafka(clientConfig(args)).admin();
  await admin.connect();
  try {
    const created = (await ensureTopics(admin, replicationFactor(args))).join(', ') || 'none';
    console.log(`stack: topics ready: ${PIPELINE_TOPICS.map((t) => t.name).join(', ')} (created now: ${created})`);
  } finally {
    await admin.disconnect();
  }
}

handleProcessWarnings(printWarning); // kafkajs's timer warning, as the CLI does
main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`stack: creating topics failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
