// `npx tsx bench/bridge-ab.ts [--pairs 3] [--count 1500] [--shaped] [--profile] [--terminate] [--verbose] <root> [<root> ...]`:
// bench/ceilings.ts's bridgeRate (Kafka -> accepted starts, in-process KafkaBridge, no worker) for the bridge code of
// one or more checkouts (each <root> a worktree with node_modules), alternated pair by pair (every other pair
// backwards) on one fresh dev server, each pair after the raw-start ceiling (64 in flight). Samples the starts in
// flight every 10 ms (mean, p10, median, max) and records each fetch's batch sizes; `--shaped`: also the bridge's own
// start requests at 64 in flight without Kafka; `--profile`: a V8 CPU profile of each bridge run to
// /tmp/bridge-ab-<root>.cpuprofile and of each raw run to /tmp/bridge-ab-raw.cpuprofile (the last of each kept; read
// them with bench/cpu-profile.ts, the bridge's `--against` the raw one); `--verbose`: the batches and in-flight samples.
// Every raw and bridge run prints its CPU ms per start of this process, the dev server and the broker, and the server's
// mean StartWorkflowExecution latency. Run it in the stack's network namespace.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Registry } from 'prom-client';
import { mapBounded } from '../src/shared/bounded';
import { bridgeBacklog, deleteTopic, terminateQueue as terminateAll } from './ceilings';
import { rawStartRate } from './temporal-ceilings';
import { devServerSettings, startServer } from './temporal-server';
import { benchTarget, devTarget, useTarget } from './target';
import { sumCpu } from './figures';
import { frontendStarts } from './server-metrics';

/** The dev server this diagnostic runs on (plain gRPC: the dev profile only). */
const temporalAddress = () => benchTarget().env.TEMPORAL_ADDRESS!;

// Open runs without a worker cost the server nothing; waiting for their termination took minutes on a loaded machine.
const terminateQueue = async (q: string) => (process.argv.includes('--terminate') ? terminateAll(q) : undefined);

const arg = (f: string, d: string) => (process.argv.includes(f) ? process.argv[process.argv.indexOf(f) + 1] : d);
const pairs = Number(arg('--pairs', '3'));
const count = Number(arg('--count', '5000'));
const roots = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !['--pairs', '--count'].includes(all[i - 1] ?? ''));

/** Where a run's time went: this process's, the Temporal server's and the broker's CPU, the server's start latency. */
async function costs() {
  const target = benchTarget();
  const starts = frontendStarts(await (await fetch(target.metricsUrl)).text());
  const own = process.cpuUsage();
  return {
    own: (own.user + own.system) / 1e6,
    server: sumCpu(target.pids().temporal),
    kafka: sumCpu(target.pids().kafka),
    latency: starts.seconds,
    calls: starts.calls,
  };
}

/** Per start between two cost snapshots: CPU ms of each process, the server's mean start latency in ms. */
async function perStart(before: Awaited<ReturnType<typeof costs>>, n: number) {
  const after = await costs();
  const ms = (k: 'own' | 'server' | 'kafka') => +(((after[k] - before[k]) * 1000) / n).toFixed(3);
  const calls = after.calls - before.calls;
  return {
    ownCpuMs: ms('own'),
    serverCpuMs: ms('server'),
    kafkaCpuMs: ms('kafka'),
    serverStartMs: calls > 0 ? +(((after.latency - before.latency) * 1000) / calls).toFixed(1) : null,
  };
}

/**
 * With `--profile`: starts a V8 CPU profile of this process and returns what stops it and writes it to
 * /tmp/bridge-ab-<name>.cpuprofile (the last run of each name is kept).
 */
async function profiler(): Promise<((name: string) => Promise<void>) | undefined> {
  if (!process.argv.includes('--profile')) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(`/tmp/bridge-ab-${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}

async function rawStarts(n: number, warmUp = false): Promise<number> {
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection });
  const profile = warmUp ? undefined : await profiler();
  const c0 = await costs();
  const { perS: rate, taskQueue: q } = await rawStartRate(client, n, 64);
  await profile?.('raw');
  console.log(JSON.stringify({ raw: +rate.toFixed(1), ...(await perStart(c0, n)) }));
  await connection.close();
  await terminateQueue(q);
  return rate;
}

/** The bridge's own start requests (toStart of realistic events, fitInput, startWorkflow) at 64 in flight, no Kafka. */
async function shapedStarts(root: string, n: number) {
  const m = async (p: string) => import(path.join(root, p));
  const { bridgeDomain } = await m('src/bridge/domains');
  const { loadConfig } = await m('src/config/config');
  const { startWorkflow } = await m('src/bridge/workflow-starter');
  const { sampleEvent } = await m('src/domains/xact/sample');
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_TASK_QUEUE: `bench-shaped-${id}`,
    METRICS_PORT: '0',
  });
  const toStart = bridgeDomain(config).toStart;
  const msgs = Array.from({ length: n }, (_, j) => {
    const traceId = `s${id}-${j}`;
    const e = sampleEvent(j, { sampleUrl: 'http://127.0.0.1:1', attachments: 1 });
    return {
      key: Buffer.from(traceId),
      value: Buffer.from(JSON.stringify({ ...e, traceId })),
      offset: String(j),
      timestamp: String(Date.now()),
    };
  });
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await mapBounded(msgs, 64, async (msg) => {
    const req = toStart(config, config.eventsTopic, 0, msg);
    await startWorkflow(client, config.taskQueue, req);
  });
  const rate = n / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  await connection.close();
  await terminateQueue(config.taskQueue);
  return { rate, cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / n };
}

async function bridgeRun(root: string, n: number) {
  const m = async (p: string) => import(path.join(root, p));
  const { BridgeMetrics } = await m('src/bridge/bridge-metrics');
  const { bridgeBreakers, bridgeSource } = await m('src/bridge/bridge-deps');
  const { bridgeDomain } = await m('src/bridge/domains');
  const { KafkaBridge } = await m('src/bridge/kafka-bridge');
  const { CircuitBreakers } = await m('src/resilience/circuit-breaker');
  const { LocalObjectStore } = await m('src/adapters/storage/local-store');
  const { loadConfig } = await m('src/config/config');
  const { createLogger } = await m('src/observability/logger');
  const { topic, env } = await bridgeBacklog(n);
  const config = loadConfig(env);
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection });
  let inFlight = 0;
  let started = 0;
  let tFirst = 0;
  let tLast = 0;
  const wf = client.workflow as unknown as { start: (...a: unknown[]) => Promise<unknown> };
  const orig = wf.start.bind(wf);
  wf.start = async (...a: unknown[]) => {
    inFlight++;
    try {
      const r = await orig(...a);
      started++;
      if (started === 1) tFirst = performance.now();
      tLast = performance.now();
      return r;
    } finally {
      inFlight--;
    }
  };
  const samples: number[] = [];
  const registry = new Registry();
  const log = createLogger('bridge', { level: 'error', write: () => undefined });
  const source = bridgeSource(config, log);
  const batches: { p: number; size: number; t0: number; t1: number }[] = [];
  const srcStart = source.start.bind(source);
  source.start = (handle: (b: { partition: number; messages: unknown[] }) => Promise<void>, events: unknown) =>
    srcStart(async (b: { partition: number; messages: unknown[] }) => {
      const rec = { p: b.partition, size: b.messages.length, t0: performance.now(), t1: 0 };
      batches.push(rec);
      try {
        await handle(b);
      } finally {
        rec.t1 = performance.now();
      }
    }, events);
  const bridge = new KafkaBridge(
    {
      config,
      client,
      store: new LocalObjectStore(path.join(root, '.state', 'bench-quarantine')),
      log,
      metrics: new BridgeMetrics(registry, topic, config.consumerGroup),
      breakers: bridgeBreakers(new CircuitBreakers(undefined), config),
      toStart: bridgeDomain(config).toStart,
    },
    source,
  );
  const profile = await profiler();
  const c0 = await costs();
  await bridge.start();
  while (started < 1) await new Promise((r) => setTimeout(r, 5));
  const sampler = setInterval(() => samples.push(inFlight), 10);
  while (started < n) await new Promise((r) => setTimeout(r, 20));
  clearInterval(sampler);
  const cost = await perStart(c0, n);
  await profile?.(path.basename(root));
  const rate = (n - 1) / ((tLast - tFirst) / 1000);
  await bridge.stop();
  await connection.close();
  await terminateQueue(config.taskQueue);
  await deleteTopic(topic);
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const below = (k: number) => samples.filter((s) => s < k).length / samples.length;
  return {
    rate,
    meanInFlight: mean,
    p10: sorted[Math.floor(sorted.length * 0.1)],
    median: sorted[Math.floor(sorted.length * 0.5)],
    max: sorted.at(-1),
    under32: below(32),
    under60: below(60),
    ...cost,
    batches: batches.map((b) => `p${b.p}:${b.size}@${(b.t0 - tFirst).toFixed(0)}-${(b.t1 - tFirst).toFixed(0)}`),
    timeline: samples.filter((_, i) => i % 20 === 0).join(' '),
  };
}

async function main() {
  const server = await startServer(devServerSettings());
  useTarget(devTarget(server));
  const verbose = process.argv.includes('--verbose');
  try {
    await rawStarts(300, true); // warm-up
    const results: Record<string, number[]> = {};
    for (let pair = 0; pair < pairs; pair++) {
      const raw = await rawStarts(2000);
      if (process.argv.includes('--shaped')) {
        const sh = await shapedStarts(roots[0]!, 2000);
        console.log(
          JSON.stringify({
            pair,
            raw: +raw.toFixed(1),
            shaped: +sh.rate.toFixed(1),
            shapedRatio: +(sh.rate / raw).toFixed(3),
            shapedCpuMs: sh.cpuMsPerEvent,
            load: os.loadavg(),
          }),
        );
      }
      const order = pair % 2 === 0 ? roots : [...roots].reverse();
      for (const root of order) {
        const r = await bridgeRun(root, count);
        const ratio = r.rate / raw;
        (results[root] ??= []).push(ratio);
        const { batches, timeline, ...rest } = r;
        console.log(
          JSON.stringify({
            pair,
            root: path.basename(root),
            raw: +raw.toFixed(1),
            ratio: +ratio.toFixed(3),
            load: os.loadavg().map((l) => +l.toFixed(2)),
            ...rest,
          }),
        );
        if (verbose) console.log('  batches', batches.join(' '), '\n  inflight/200ms', timeline);
      }
    }
    for (const [root, rs] of Object.entries(results)) {
      const s = [...rs].sort((a, b) => a - b);
      console.log(
        path.basename(root),
        'ratios',
        rs.map((x) => x.toFixed(3)).join(' '),
        'median',
        s[Math.floor(s.length / 2)]!.toFixed(3),
      );
    }
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
