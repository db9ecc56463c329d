// Creates the pipeline's topics on the local broker (idempotent) and checks their partition counts.
import { Kafka, logLevel } from 'kafkajs';
import { PIPELINE_TOPICS } from '../src/shared/topics';

async function main(broker: string): Promise<void> {
  const admin = new Kafka({ clientId: 'kafka-pipeline-stack', brokers: [broker], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = PIPELINE_TOPICS.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
      });
    }
    const metadata = await admin.fetchTopicMetadata({ topics: PIPELINE_TOPICS.map((t) => t.name) });
    for (const spec of PIPELINE_TOPICS) {
      const found = metadata.topics.find((t) => t.name === spec.name);
      const count = found?.partitions.length ?? 0;
      if (count !== spec.partitions) {
        throw new Error(`topic ${spec.name} has ${count} partitions, expected ${spec.partitions}`);
      }
    }
    const created = missing.map((t) => t.name).join(', ') || 'none';
    console.log(`stack: topics ready: ${PIPELINE_TOPICS.map((t) => t.name).join(', ')} (created now: ${created})`);
  } finally {
    await admin.disconnect();
  }
}

main(process.argv[2] ?? '127.0.0.1:9092').catch((err: unknown) => {
  console.error(`stack: creating topics failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
