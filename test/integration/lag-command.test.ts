import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createTopic, ensureStack, KAFKA_BROKER, ROOT } from '../support/stack';

const run = promisify(execFile);

describe('kafka-pipeline lag (consumer lag from the image, no Java tools)', function () {
  this.timeout(120_000);
  const id = randomUUID().slice(0, 8);
  const topic = `lag-test-${id}`;
  const group = `lag-test-${id}`;
  const lag = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'lag', ...args], {
        env: { ...process.env, KAFKA_BROKERS: KAFKA_BROKER },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  before(async () => {
    await ensureStack();
    await createTopic(topic, 3);
    const kafka = new Kafka({ clientId: 'lag-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
    // Idempotent: a send retried after a timeout on a loaded machine must not write its batch twice (a CI run once
    // saw partition 1 end at 4, its two messages written twice).
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        ...Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `a${i}` })),
        ...Array.from({ length: 2 }, (_, i) => ({ partition: 1, value: `b${i}` })),
      ],
    });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '2' }] });
    await admin.disconnect();
  });

  it('prints committed, end and lag per partition, the total and the group state', async () => {
    const r = await lag('--topic', topic, '--group', group, '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      total: number;
      state: string;
      members: number;
      partitions: { partition: number; committed: number | null; end: number; lag: number }[];
    };
    assert.deepEqual(
      out.partitions.map((p) => [p.partition, p.committed, p.end, p.lag]),
      [
        [0, 2, 5, 3],
        [1, null, 2, 2],
        [2, null, 0, 0],
      ],
    );
    assert.deepEqual([out.total, out.state, out.members], [5, 'Empty', 0]);
    const text = await lag('--topic', topic, '--group', group);
    assert.match(text.stdout, new RegExp(`^${topic} / group ${group}: total lag 5; group Empty, 0 member\\(s\\)\\n`));
    assert.match(text.stdout, /\n0 +2 +5 +3\n1 +- +2 +2\n2 +- +0 +0$/m);
  });

  it('a topic that does not exist is an error, not an empty table', async () => {
    const r = await lag('--topic', `absent-${id}`, '--group', group);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /topic absent-\S+ does not exist/);
  });
});
