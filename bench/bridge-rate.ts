import path from 'node:path';
import { Registry } from 'prom-client';
import { BridgeMetrics } from '../src/bridge/bridge-metrics';
import { bridgeBreakers, bridgeSource } from '../src/bridge/bridge-deps';
import { bridgeDomain } from '../src/bridge/domains';
import { KafkaBridge } from '../src/bridge/kafka-bridge';
import { CircuitBreakers } from '../src/resilience/circuit-breaker';
import { LocalObjectStore } from '../src/adapters/storage/local-store';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/observability/logger';
import { ROOT } from '../test/support/stack';
import { bridgeBacklog, deleteTopic, terminateQueue } from './ceilings';
import type { Figure } from './figures';
import { rawStartRate } from './temporal-ceilings';
import { benchTarget, devTarget, targetClient, useTarget } from './target';
import { devServerSettings, startServer } from './temporal-server';

/** One bridge run of the bridge figure and its baseline: the mean of the raw starts right before and right after it. */
export interface BridgePair {
  readonly rawPerS: number;
  readonly bridgePerS: number;
}

/**
 * 3. Bridge: events/s from Kafka to accepted workflow starts (no worker on the queue: starts only), against raw
 * starts (a client with 64 in flight, the bridge's BRIDGE_MAX_IN_FLIGHT) of the same count measured right beside it:
 * `runs` bridge runs, each between two raw runs (raw, bridge, raw, bridge, ..., raw), each compared with the mean of
 * its two neighbours. The dev server's start rate drifts by ±15 % from one 15-second window to the next, also on a
 * quiet machine, and mostly downwards as the runs left open pile up (raw 337, 284, 260 starts/s in one bench): a
 * bridge run measured after its raw run was compared with a faster server than a raw run after it, and the median of
 * pairs in alternating order (two of three one way) kept that bias; a bracket cancels a steady drift. The figure is
 * the median bracket by ratio; `freshRawPerS` (the ceilings' figure on the fresh server, before thousands of runs) is
 * reported beside it.
 */
export async function bridgeRate(count: number, runs: number, freshRawPerS: number, terminate = true): Promise<Figure> {
  const raw = [await rawStarts(count, terminate)];
  const bridge: number[] = [];
  for (let i = 0; i < runs; i++) {
    bridge.push(await bridgeStartsPerS(count, terminate));
    raw.push(await rawStarts(count, terminate));
  }
  return bridgeFigure(bracketed(raw, bridge), count, freshRawPerS);
}

/** Each bridge run with the mean of the raw runs around it: `raw` has one run more than `bridge` (raw first and last). */
export function bracketed(raw: readonly number[], bridge: readonly number[]): BridgePair[] {
  if (raw.length !== bridge.length + 1) throw new Error('bracketed: one raw run before and after each bridge run');
  return bridge.map((bridgePerS, i) => ({ bridgePerS, rawPerS: (raw[i]! + raw[i + 1]!) / 2 }));
}

/**
 * bridgeRate on a fresh dev server of its own, stopped afterwards: the bridge and raw runs leave their runs open (no worker polls
 * their queues) and terminating them all took ~10 minutes of a full bench (30,000 runs then; 35,000 now), where dropping the
 * server costs nothing; the server the rest of the bench uses never sees them.
 */
export async function bridgeRateOnOwnServer(count: number, runs: number, freshRawPerS: number): Promise<Figure> {
  const own = await startServer(devServerSettings());
  const previous = benchTarget();
  useTarget(devTarget(own));
  try {
    return await bridgeRate(count, runs, freshRawPerS, false);
  } finally {
    useTarget(previous);
    await own.stop();
  }
}

/** The figure from the brackets: the median one's bridge and raw rates and ratio (by ratio), every one in the note. */
export function bridgeFigure(runs: readonly BridgePair[], count: number, freshRawPerS: number): Figure {
  if (runs.length === 0) throw new Error('bridgeFigure: no bridge run measured');
  const sorted = [...runs].sort((a, b) => a.bridgePerS / a.rawPerS - b.bridgePerS / b.rawPerS);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const each = runs.map((r) => `${r.bridgePerS.toFixed(0)}/${r.rawPerS.toFixed(0)}`).join(', ');
  return {
    section: 'bridge',
    name: 'bridge Kafka -> accepted starts',
    value: median.bridgePerS,
    unit: 'events/s',
    baseline: { name: 'raw starts/s', value: median.rawPerS },
    ratio: median.bridgePerS / median.rawPerS,
    target: 'ratio >= 0.9',
    note:
      `${count} events, from the first start (group join excluded); the median of ${runs.length} bridge runs, each ` +
      `against the mean of the raw starts of the same count right before and after it (bridge/raw: ${each}); ` +
      `against the fresh server's raw starts ${freshRawPerS.toFixed(0)}/s: ${(median.bridgePerS / freshRawPerS).toFixed(2)}`,
  };
}

/** `terminate`: end the runs it left open (not needed on a server that is dropped afterwards). */
async function rawStarts(count: number, terminate: boolean): Promise<number> {
  const { connection, client } = await targetClient();
  try {
    const { perS, taskQueue } = await rawStartRate(client, count, 64);
    if (terminate) await terminateQueue(taskQueue);
    return perS;
  } finally {
    await connection.close();
  }
}

/** The bridge alone, in process: a backlog of `count` events to accepted starts per second. */
async function bridgeStartsPerS(count: number, terminate: boolean): Promise<number> {
  const { topic, env } = await bridgeBacklog(count);
  const config = loadConfig(env);
  const { connection, client } = await targetClient();
  const registry = new Registry();
  const log = createLogger('bridge', { level: 'error', write: () => undefined });
  const bridge = new KafkaBridge(
    {
      config,
      client,
      store: new LocalObjectStore(path.join(ROOT, '.state', 'bench-quarantine')),
      log,
      metrics: new BridgeMetrics(registry, topic, config.consumerGroup),
      breakers: bridgeBreakers(new CircuitBreakers(undefined), config),
      toStart: bridgeDomain(config).toStart,
    },
    bridgeSource(config, log),
  );
  // The one counter, not the whole registry: the bench reads it every 20 ms inside the bridge's own process.
  const starts = registry.getSingleMetric('pipeline_workflow_starts_total')!;
  const started = async () => (await starts.get()).values.reduce((n, v) => n + v.value, 0);
  // Timed from the first accepted start, so the consumer-group join (seconds, once per process) is not counted.
  await bridge.start();
  while ((await started()) < 1) await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  while ((await started()) < count) await new Promise((r) => setTimeout(r, 20));
  const rate = (count - 1) / ((performance.now() - t0) / 1000);
  await bridge.stop();
  await connection.close();
  if (terminate) await terminateQueue(config.taskQueue);
  await deleteTopic(topic);
  return rate;
}
