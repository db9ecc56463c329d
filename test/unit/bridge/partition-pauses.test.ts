import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { BridgeMetrics } from '../../../src/bridge/bridge-metrics';
import { PartitionPauses, RETRY_MAX_MS } from '../../../src/bridge/partition-pauses';
import { createLogger } from '../../../src/observability/logger';

describe('paused partitions of the bridge (src/bridge/partition-pauses.ts)', () => {
  let resumed: string[];
  let registry: Registry;
  let pauses: PartitionPauses;
  const gauge = async (name: string) =>
    ((await registry.getMetricsAsJSON()).find((m) => m.name === name)?.values[0]?.value ?? NaN) as number;

  beforeEach(() => {
    resumed = [];
    registry = new Registry();
    const metrics = new BridgeMetrics(registry, 't', 'g');
    pauses = new PartitionPauses(
      (topic, partition) => resumed.push(`${topic}/${partition}`),
      metrics,
      createLogger('bridge', { level: 'error', write: () => undefined }),
      60_000,
    );
  });
  afterEach(() => pauses.clear());

  it('backs off per consecutive failure up to the maximum, and forgets failures after a success', () => {
    const err = new Error('down');
    const delays = Array.from({ length: 6 }, () => pauses.failed('t', 0, err));
    assert.deepEqual(
      delays,
      [250, 500, 1000, 1000, 1000, 1000].map((d) => Math.min(d, RETRY_MAX_MS)),
    );
    assert.equal(pauses.failed('t', 1, err), 250, 'partitions back off independently');
    pauses.succeeded('t', 0);
    assert.equal(pauses.failed('t', 0, err), 250);
  });

  it('counts paused partitions, resumes on success, and reports stuck ones after the threshold only', async () => {
    pauses.paused('t', 0, 'x');
    pauses.failed('t', 0, new Error('cannot write claim check'));
    pauses.paused('t', 1, 'y');
    assert.equal(await gauge('bridge_paused_partitions'), 2);
    assert.deepEqual(pauses.stuck(Date.now() + 59_000), []);
    const stuck = pauses.stuck(Date.now() + 61_000);
    assert.deepEqual(
      stuck.map((s) => [s.partition, s.error]),
      [[0, 'cannot write claim check']],
      'back-pressure is not stuck',
    );
    pauses.succeeded('t', 0);
    assert.deepEqual(resumed, ['t/0']);
    assert.equal(await gauge('bridge_paused_partitions'), 1);
    assert.deepEqual(pauses.stuck(Date.now() + 61_000), []);
  });

  it('on a rebalance resumes every partition it paused (kafkajs keeps pauses across assignments)', async () => {
    pauses.paused('t', 2, 'x');
    pauses.failed('t', 2, new Error('e'));
    pauses.resumeAfter('t', 2, 60_000);
    pauses.paused('t', 3, 'y');
    pauses.resumeAll();
    assert.deepEqual(resumed.sort(), ['t/2', 't/3']);
    assert.equal(await gauge('bridge_paused_partitions'), 0);
    assert.deepEqual(pauses.stuck(Date.now() + 120_000), []);
  });
});
