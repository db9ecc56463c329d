import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Kafka, KafkaJSNonRetriableError, logLevel } from 'kafkajs';
import { KafkaMessageSource } from '../../src/adapters/kafka/kafka-source';
import type { SourceBatch, SourceEvents } from '../../src/adapters/kafka/message-source';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/observability/logger';
import { until } from '../support/poll';
import { ensureStack, KAFKA_BROKER } from '../support/stack';

/**
 * kafkajs leaves a consumer stopped for good after a crash it deems not retriable (a broker outage can cause one:
 * tulios/kafkajs#1630). The bridge's source must run it again by itself. The crash is caused here by the handler
 * throwing a non-retriable error once, the same path kafkajs takes for a failed coordinator lookup.
 */
describe('the Kafka source after a crash kafkajs does not restart from (real broker)', function () {
  this.timeout(120_000);
  const kafka = new Kafka({ clientId: 'kafka-source-restart', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topic = `source-restart-${randomUUID()}`;
  const group = `source-restart-${randomUUID()}`;

  before(async () => {
    await ensureStack();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });
  after(async () => {
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('runs the consumer again, consumes every message and commits to the end', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })) });
    await producer.disconnect();

    const logs: string[] = [];
    const config = loadConfig({ KAFKA_BROKERS: KAFKA_BROKER });
    const source = new KafkaMessageSource({
      kafka: config,
      topic,
      group,
      partitionsConcurrently: 1,
      log: createLogger('bridge', { level: 'info', write: (l) => logs.push(l) }),
    });
    const crashes: string[] = [];
    const events: SourceEvents = {
      joined: () => undefined,
      rebalancing: () => undefined,
      left: () => undefined,
      crashed: (error) => crashes.push(error.name),
      requestFailed: () => undefined,
      answered: () => undefined,
    };
    const handled: string[] = [];
    let thrown = false;
    const handle = async (batch: SourceBatch): Promise<void> => {
      if (!thrown) {
        thrown = true;
        throw new KafkaJSNonRetriableError('a crash kafkajs does not restart from');
      }
      for (const m of batch.messages) {
        handled.push(String(m.value));
        batch.resolveOffset(m.offset);
      }
    };

    await source.start(handle, events);
    try {
      await until(
        'every message is handled after the restart',
        async () => handled.length >= 10,
        async () => `handled ${handled.length}; crashes ${crashes.join(', ')}; log:\n${logs.slice(-10).join('\n')}`,
        60_000,
      );
      assert.deepEqual(
        handled,
        Array.from({ length: 10 }, (_, i) => `m${i}`),
      );
      assert.equal(crashes.length, 1);
      assert.ok(logs.some((l) => l.includes('kafkajs does not retry; restarting it')));
      assert.ok(logs.some((l) => l.includes('the Kafka consumer runs again')));
      await until('the offsets are committed to the end', async () => {
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        return committed!.partitions[0]!.offset === '10';
      });
    } finally {
      await source.stop();
    }
  });
});
