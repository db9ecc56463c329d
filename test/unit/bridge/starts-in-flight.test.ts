import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import type { Client } from '@temporalio/client';
import type { MessageSource, SourceBatch, SourceEvents } from '../../../src/adapters/kafka/message-source';
import type { ObjectStore } from '../../../src/adapters/storage/object-store';
import { bridgeBreakers } from '../../../src/bridge/bridge-deps';
import { BridgeMetrics } from '../../../src/bridge/bridge-metrics';
import { bridgeDomain } from '../../../src/bridge/domains';
import { KafkaBridge } from '../../../src/bridge/kafka-bridge';
import { loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/observability/logger';
import { CircuitBreakers } from '../../../src/resilience/circuit-breaker';
import { sampleEvent } from '../../../src/domains/xact/sample';
import type { KafkaSource } from '../../../src/shared/pipeline-types';
import { deferred, FakeBatch } from '../../support/fake-batch';

/** Temporal without a server: every start waits until the test answers it; counts the starts in flight. */
class FakeTemporal {
  inFlight = 0;
  peak = 0;
  readonly open: { source: KafkaSource; answer: () => void }[] = [];
  readonly client = {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    workflow: {
      start: async (_type: string, opts: { args: [{ source: KafkaSource }] }) => {
        this.inFlight++;
        this.peak = Math.max(this.peak, this.inFlight);
        const d = deferred();
        this.open.push({ source: opts.args[0].source, answer: () => d.accept() });
        await d.promise;
        this.inFlight--;
        return { eagerlyStarted: false };
      },
    },
  } as unknown as Client;

  /** Accepts the open starts that `which` picks (all by default). */
  accept(which: (source: KafkaSource) => boolean = () => true): void {
    for (let i = this.open.length - 1; i >= 0; i--)
      if (which(this.open[i]!.source)) this.open.splice(i, 1)[0]!.answer();
  }

  inFlightOf(partition: number): number {
    return this.open.filter((o) => o.source.partition === partition).length;
  }
}

/** A source whose one fetch hands out `batches` at once (as kafkajs does with partitionsConsumedConcurrently). */
class OneFetch implements MessageSource {
  handled: Promise<void>[] = [];
  constructor(private readonly batches: SourceBatch[]) {}
  async start(handle: (batch: SourceBatch) => Promise<void>, events: SourceEvents): Promise<void> {
    events.joined(this.batches.length);
    this.handled = this.batches.map((b) => handle(b));
  }
  resume(): void {}
  async stop(): Promise<void> {
    await Promise.all(this.handled);
  }
}

const events = (partition: number, count: number) =>
  new FakeBatch(partition, count, 0, {
    topic: 'xact.events.raw',
    key: (i) => Buffer.from(`p${partition}-${i}`),
    value: (i) =>
      Buffer.from(
        JSON.stringify({
          ...sampleEvent(i, { sampleUrl: 'http://127.0.0.1:1', attachments: 1 }),
          traceId: `p${partition}-${i}`,
        }),
      ),
  });

function bridgeOn(source: MessageSource, temporal: FakeTemporal, maxInFlight: number, partitions: number) {
  const config = loadConfig({
    BRIDGE_MAX_IN_FLIGHT: String(maxInFlight),
    BRIDGE_PARTITIONS_CONCURRENTLY: String(partitions),
  });
  return new KafkaBridge(
    {
      config,
      client: temporal.client,
      store: {} as ObjectStore, // small events: nothing is stored
      log: createLogger('bridge', { level: 'error', write: () => undefined }),
      metrics: new BridgeMetrics(new Registry(), config.eventsTopic, config.consumerGroup),
      breakers: bridgeBreakers(new CircuitBreakers(undefined), config),
      toStart: bridgeDomain(config).toStart,
    },
    source,
  );
}

/** Lets the bridge run until `cond` holds (no timers involved: each step is one turn of the event loop). */
async function settledUntil(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the starts in flight of the bridge, shared by the batches of a fetch (one set of src/shared/slots.ts)', () => {
  it('a batch left alone in its fetch uses every slot of BRIDGE_MAX_IN_FLIGHT, not a share of it', async () => {
    const temporal = new FakeTemporal();
    const batches = [events(0, 2), events(1, 2), events(2, 12)];
    const bridge = bridgeOn(new OneFetch(batches), temporal, 6, 3);
    await bridge.start();
    await settledUntil('the window is full', () => temporal.inFlight === 6);
    temporal.accept((s) => s.partition !== 2);
    await settledUntil('partitions 0 and 1 are handed over', () =>
      [batches[0]!, batches[1]!].every((b) => b.resolved.at(-1) === '1'),
    );
    await settledUntil('partition 2 takes the freed slots', () => temporal.inFlightOf(2) === 6);
    assert.equal(temporal.inFlightOf(2), 6, 'the straggler has all 6 starts in flight (a static share was 2)');
    while (batches[2]!.resolved.at(-1) !== '11') {
      temporal.accept();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await bridge.stop();
    assert.equal(temporal.peak, 6, 'never more than BRIDGE_MAX_IN_FLIGHT');
  });

  it('never has more than BRIDGE_MAX_IN_FLIGHT starts in flight, and every batch is handed over in full', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        async (maxInFlight, sizes, order) => {
          const temporal = new FakeTemporal();
          const batches = sizes.map((n, p) => events(p, n));
          const bridge = bridgeOn(new OneFetch(batches), temporal, maxInFlight, sizes.length);
          await bridge.start();
          const done = () => batches.every((b) => b.resolved.at(-1) === String(b.messages.length - 1));
          for (let step = 0; !done(); step++) {
            await settledUntil('a start in flight', () => temporal.open.length > 0 || done());
            if (done()) break;
            const [pick] = temporal.open.splice(order[step % order.length]! % temporal.open.length, 1);
            pick!.answer();
            await new Promise((resolve) => setImmediate(resolve));
          }
          await bridge.stop();
          assert.ok(temporal.peak <= maxInFlight, `${temporal.peak} starts in flight, at most ${maxInFlight}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});
