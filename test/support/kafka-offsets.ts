import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_BROKER } from './stack';

/**
 * True when the group's committed offset of every partition of `topic` that holds a message is that partition's end
 * (nothing left to hand over); `partitions`, when given, must all exist.
 */
export async function committedAtEnd(topic: string, groupId: string, partitions?: number): Promise<boolean> {
  const admin = new Kafka({ clientId: 'offsets-check', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [ends, committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const done = new Map(committed[0]!.partitions.map((p) => [p.partition, Number(p.offset)]));
    if (partitions !== undefined && ends.length !== partitions) return false;
    return ends.every((e) => Number(e.high) === 0 || done.get(e.partition) === Number(e.high));
  } finally {
    await admin.disconnect();
  }
}
