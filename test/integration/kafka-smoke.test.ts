import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { PIPELINE_TOPICS } from '../../src/shared/topics';
import { ensureStack, KAFKA_BROKER } from '../support/stack';

describe('real Kafka broker (smoke)', function () {
  this.timeout(120_000);
  const kafka = new Kafka({ clientId: 'kafka-pipeline-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();

  before(async () => {
    await ensureStack();
    await admin.connect();
  });
  after(() => admin.disconnect());

  it('has every pipeline topic with its partition count (created up front, not auto-created)', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: PIPELINE_TOPICS.map((t) => t.name) });
    for (const spec of PIPELINE_TOPICS) {
      assert.equal(metadata.topics.find((t) => t.name === spec.name)?.partitions.length, spec.partitions, spec.name);
    }
  });

  it('refuses to auto-create a topic that was not created up front', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    await producer.connect();
    try {
      await assert.rejects(producer.send({ topic: `no-such-topic-${randomUUID()}`, messages: [{ value: 'x' }] }));
    } finally {
      await producer.disconnect();
    }
  });

  it('delivers produced messages to a consumer group, keys and order per partition intact', async () => {
    const topic = `smoke-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `smoke-${randomUUID()}` });
    try {
      await producer.connect();
      const sent = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 3}`, value: `m${i}` }));
      await producer.send({ topic, messages: sent });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: { key: string; value: string }[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} of 20 messages arrived`)), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push({ key: String(message.key), value: String(message.value) });
            if (received.length === sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      for (const key of ['k0', 'k1', 'k2']) {
        assert.deepEqual(
          received.filter((m) => m.key === key).map((m) => m.value),
          sent.filter((m) => m.key === key).map((m) => m.value),
        );
      }
    } finally {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
      await admin.deleteTopics({ topics: [topic] });
    }
  });
});
