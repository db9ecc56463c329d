import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Registry } from 'prom-client';
import { kafkaAdmin } from '../../src/adapters/kafka/kafka-admin';
import { LagMonitor } from '../../src/bridge/lag-monitor';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/observability/logger';
import { ensureStack, KAFKA_BROKER } from '../support/stack';

describe('consumer lag from broker offsets (kafka_consumer_lag)', function () {
  this.timeout(120_000);
  const kafka = new Kafka({ clientId: 'lag-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const topic = `lag-test-${randomUUID().slice(0, 8)}`;
  const group = `lag-group-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  const lagAdmin = kafkaAdmin(loadConfig({ KAFKA_BROKERS: KAFKA_BROKER }));

  before(async () => {
    await ensureStack();
    await admin.connect();
    await lagAdmin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  });
  after(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([admin.disconnect(), lagAdmin.disconnect()]);
  });

  it('counts uncommitted messages per partition even when nothing consumes, and drops to 0 once committed', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: [0, 1, 2].flatMap((partition) =>
        Array.from({ length: 3 + partition }, (_, i) => ({ partition, value: `m${i}` })),
      ),
    });
    await producer.disconnect();
    const registry = new Registry();
    const warnings: string[] = [];
    const monitor = new LagMonitor(
      registry,
      lagAdmin,
      topic,
      group,
      createLogger('bridge', { level: 'warn', write: (l) => warnings.push(l) }),
    );

    assert.equal(await monitor.refresh(), 3 + 4 + 5, 'a group that never committed lags by everything retained');
    const gauge = async () =>
      Object.fromEntries(
        (
          (await registry.getSingleMetric('kafka_consumer_lag')!.get()).values as {
            value: number;
            labels: Record<string, string>;
          }[]
        ).map((v) => [v.labels.partition, v.value]),
      );
    assert.deepEqual(await gauge(), { '0': 3, '1': 4, '2': 5 });

    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: [
        { partition: 0, offset: '3' },
        { partition: 1, offset: '1' },
      ],
    });
    assert.equal(await monitor.refresh(), 0 + 3 + 5);
    assert.deepEqual(await gauge(), { '0': 0, '1': 3, '2': 5 });
    assert.deepEqual(warnings, []);
  });
});
