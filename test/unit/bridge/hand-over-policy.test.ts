import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { BridgeMetrics } from '../../../src/bridge/bridge-metrics';
import { HandOverPolicy, type HandOverSettings } from '../../../src/bridge/hand-over-policy';
import { PartitionPauses } from '../../../src/bridge/partition-pauses';
import { createLogger } from '../../../src/observability/logger';
import { CircuitOpenError } from '../../../src/resilience/circuit-breaker';
import { deferred, FakeBatch } from '../../support/fake-batch';
import { until } from '../../support/poll';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the hand-over policy of the bridge, without Kafka (src/bridge/hand-over-policy.ts)', () => {
  let resumed: string[];
  let logs: string[];
  let pauses: PartitionPauses;
  let stopping: boolean;
  const policy = (over: Partial<HandOverSettings> = {}) =>
    new HandOverPolicy({ maxInFlight: 4, pauses, stopping: () => stopping, ...over });

  beforeEach(() => {
    resumed = [];
    logs = [];
    stopping = false;
    pauses = new PartitionPauses(
      (topic, partition) => resumed.push(`${topic}/${partition}`),
      new BridgeMetrics(new Registry(), 't', 'g'),
      createLogger('bridge', { level: 'info', write: (l) => logs.push(l) }),
      60_000,
    );
  });
  afterEach(() => pauses.clear());

  it('commits an offset only once every message up to it was accepted, whatever order Temporal answers in', async () => {
    const batch = new FakeBatch(0, 4);
    const starts = batch.messages.map(() => deferred());
    const done = policy().batch(batch, (m) => starts[Number(m.offset) - 100]!.promise);
    await settle();
    starts[2]!.accept();
    starts[1]!.accept();
    await settle();
    assert.deepEqual(batch.resolved, [], 'message 100 not accepted yet: nothing may be committed');
    starts[0]!.accept();
    await settle();
    assert.deepEqual(batch.resolved, ['102'], 'the accepted prefix 100..102 at once');
    starts[3]!.accept();
    await done;
    assert.deepEqual(batch.resolved, ['102', '103']);
    assert.equal(batch.committed.at(-1), '103', 'the batch ends with a commit of what was handed over');
    assert.equal(batch.pauses, 0);
  });

  it('keeps at most `maxInFlight` starts in flight, and begins the next as soon as any one finishes', async () => {
    const batch = new FakeBatch(0, 5);
    const starts = batch.messages.map(() => deferred());
    const begun: number[] = [];
    const done = policy({ maxInFlight: 2 }).batch(batch, (m) => {
      begun.push(Number(m.offset) - 100);
      return starts[Number(m.offset) - 100]!.promise;
    });
    await settle();
    assert.deepEqual(begun, [0, 1]);
    starts[1]!.accept();
    await settle();
    assert.deepEqual(begun, [0, 1, 2], 'a sliding window, not chunks: 2 begins while 0 is still in flight');
    for (const s of starts) s.accept();
    await done;
    assert.deepEqual(begun, [0, 1, 2, 3, 4]);
  });

  it('a message not handed over ends the batch: nothing after it is committed, its partition alone is paused', async () => {
    const batch = new FakeBatch(3, 6);
    const tried: string[] = [];
    await policy({ maxInFlight: 1 }).batch(batch, async (m) => {
      tried.push(m.offset);
      if (m.offset === '102') throw new Error('Temporal unavailable');
    });
    assert.deepEqual(tried, ['100', '101', '102'], 'nothing after the failing message is tried');
    assert.equal(batch.resolved.at(-1), '101', 'offset 102 is fetched again: not dropped');
    assert.ok(!batch.committed.includes('102'));
    assert.equal(batch.pauses, 1);
    const [stuck] = pauses.stuck(Date.now() + 61_000);
    assert.deepEqual([stuck?.partition, stuck?.error], [3, 'Temporal unavailable'], 'the failure counts towards stuck');
    await until(
      'the paused partition is resumed after its backoff',
      async () => resumed.includes('t/3'),
      undefined,
      5_000,
    );
  });

  it('pauses the partition while Temporal is down (breaker open), naming the breaker', async () => {
    const batch = new FakeBatch(1, 3);
    await policy().batch(batch, (m) =>
      m.offset === '100' ? Promise.reject(new CircuitOpenError('temporal', 0)) : Promise.resolve(),
    );
    assert.deepEqual(batch.resolved, [], 'later messages handed over meanwhile are no progress');
    assert.equal(batch.pauses, 1);
    assert.ok(
      logs.some((l) => l.includes('the temporal circuit breaker is open; partition paused')),
      logs.join('\n'),
    );
  });

  it('while Temporal is slow (back-pressure) waits paused without failing, then hands over', async () => {
    const batch = new FakeBatch(2, 2);
    let refusals = 3;
    const delays: number[] = [];
    const p = policy({
      maxInFlight: 1,
      admission: { admits: () => refusals-- <= 0 },
      heldBack: '200 or more workflows running',
      sleep: async (ms) => void delays.push(ms),
    });
    const started: string[] = [];
    await p.batch(batch, async (m) => {
      await p.admitted(batch);
      started.push(m.offset);
    });
    assert.deepEqual(delays, [100, 200, 400], 'polls back off');
    assert.equal(batch.pauses, 1, 'paused once while held back');
    assert.deepEqual(pauses.stuck(Date.now() + 61_000), [], 'back-pressure is not a failure');
    assert.deepEqual(started, ['100', '101']);
    assert.deepEqual(batch.resolved, ['100', '101']);
    assert.deepEqual(resumed, ['t/2'], 'the first hand-over resumes the partition');
  });

  it('a stopping bridge or a lost partition hands nothing more over and pauses nothing', async () => {
    const batch = new FakeBatch(0, 5);
    const p = policy({ maxInFlight: 1 });
    const tried: string[] = [];
    await p.batch(batch, async (m) => {
      await p.admitted(batch);
      tried.push(m.offset);
      if (m.offset === '101') batch.active = false; // reassigned by a rebalance
    });
    assert.deepEqual(tried, ['100', '101']);
    assert.deepEqual(batch.resolved, ['100', '101']);
    assert.equal(batch.pauses, 0);

    const failing = new FakeBatch(1, 3);
    await p.batch(failing, async (m) => {
      if (m.offset === '101') {
        failing.active = false; // lost while its start failed: the next owner fetches it, no pause here
        throw new Error('unavailable');
      }
    });
    assert.deepEqual([failing.resolved, failing.pauses], [['100'], 0]);

    const next = new FakeBatch(0, 3);
    stopping = true;
    await p.batch(next, () => assert.fail('nothing is handed over while stopping'));
    assert.deepEqual([next.resolved, next.pauses], [[], 0]);
  });

  it('never commits past a message that was not accepted (any window, any answers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.constantFrom('accept', 'reject'), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        async (window, answers, order) => {
          const batch = new FakeBatch(0, answers.length);
          const accepted = new Set<number>();
          const starts = new Map<number, ReturnType<typeof deferred>>();
          const done = policy({ maxInFlight: window }).batch(batch, (m) => {
            const d = deferred();
            starts.set(Number(m.offset) - 100, d);
            return d.promise;
          });
          // Temporal answers the starts in flight in an order the property chooses.
          for (let step = 0; step < 4 * answers.length; step++) {
            await settle();
            const open = [...starts.keys()];
            if (open.length === 0) break;
            const i = open[order[step % order.length]! % open.length]!;
            const d = starts.get(i!)!;
            starts.delete(i!);
            if (answers[i!] === 'accept') {
              accepted.add(i!);
              d.accept();
            } else d.reject(new Error('refused'));
          }
          await done;
          for (const offset of [...batch.resolved, ...batch.committed]) {
            if (offset === undefined) continue;
            for (let i = 0; i <= Number(offset) - 100; i++) assert.ok(accepted.has(i), `${offset} past message ${i}`);
          }
          const firstRefused = answers.indexOf('reject');
          const last = firstRefused < 0 ? answers.length - 1 : firstRefused - 1;
          assert.equal(batch.resolved.at(-1) ?? '99', String(100 + last), 'the whole accepted prefix is resolved');
          assert.equal(batch.pauses, firstRefused < 0 ? 0 : 1);
          pauses.clear();
        },
      ),
      { numRuns: 200 },
    );
  });
});
