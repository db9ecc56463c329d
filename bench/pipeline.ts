import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Partitioners } from 'kafkajs';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { parseMetrics, share, total, type Sample } from '../src/observability/scrape';
import { xactWorkflowId } from '../src/shared/ids';
import { sampleEvent } from '../src/sample/sample-events';
import type { SampleServer } from '../src/sample/sample-server';
import { WORKER_NODE_OPTIONS } from '../src/worker/node-options';
import { freePort } from '../test/support/free-port';
import { ROOT } from '../test/support/stack';
import { benchTemporal } from './temporal-server';
import { createTopic, deleteTopic, kafka, produceEvents, terminateQueue } from './ceilings';
import { percentile, rssSampler } from './figures';
import { perEventCounts, serverCounters, type ServerCounters } from './server-metrics';
import { spawnCompiled, stopChild } from './memory';

const MB = 2 ** 20;
const ET = temporal.api.enums.v1.EventType;
/** The attachment of every bench event: one 20 KB file, as in the 500-event burst. */
export const ATTACHMENT_BYTES = 20 * 1024;
const scrape = (url: string): Promise<string> => fetch(url).then((r) => r.text());

/** The Temporal server's running totals (persistence writes, workflow and activity tasks) from its metrics page. */
const serverSnapshot = async (): Promise<ServerCounters> => serverCounters(await scrape(benchTemporal.metricsUrl));

/** One point of a run's timeline: seconds since the first start, workflows completed or failed so far. */
export interface TimelinePoint {
  readonly t: number;
  readonly done: number;
}

export interface RunFigures {
  readonly events: number;
  readonly done: number;
  readonly seconds: number;
  readonly eventsPerS: number;
  readonly failed: number;
  readonly timeline: TimelinePoint[];
  readonly workerPeakRssMb: number;
  readonly workerIdleRssMb: number;
  readonly bridgePeakRssMb: number;
  readonly cpuMsPerEvent: CpuPerEvent;
  /** Delta commits per 1,000 events of each table (the group commit's batching at this rate). */
  readonly commitsPer1000: { readonly events: number; readonly attachments: number };
  /** The combined process only: the share of its accepted starts the server started eagerly. */
  readonly eagerStartHitRatio?: number;
}

/**
 * The pipeline as deployed, on the real local stack: the compiled worker and the compiled bridge as two processes
 * of their own (production NODE_OPTIONS and defaults, as in the container image), the sample file server in this
 * process, the local lakehouse in a temp folder. Each rig has its own topic, consumer group and task queue.
 */
class Rig {
  readonly id = randomUUID().slice(0, 8);
  readonly topic = `bench-e2e-${this.id}`;
  readonly taskQueue = `bench-e2e-${this.id}`;
  readonly lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-e2e-'));
  worker?: ChildProcess;
  bridge?: ChildProcess;
  workerPort = 0;
  bridgePort = 0;

  constructor(
    readonly sample: SampleServer,
    private readonly overrides: Record<string, string>,
    /** The checkout whose compiled worker and bridge run (another one for a same-run before/after). */
    private readonly root = ROOT,
    /** One combined process (`kafka-pipeline run`, eager start) instead of a worker and a bridge process. */
    readonly combined = false,
  ) {}

  env(port: number): Record<string, string> {
    return {
      TEMPORAL_ADDRESS: benchTemporal.address,
      XACT_EVENTS_TOPIC: this.topic,
      XACT_CONSUMER_GROUP: `bench-${this.id}`,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      LAKEHOUSE_DIR: this.lakehouse,
      METRICS_PORT: String(port),
      TEMPORAL_SDK_METRICS_PORT: '0',
      ALLOWED_ATTACHMENT_DOMAINS: '127.0.0.1',
      DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
      DOWNLOAD_ALLOW_LOOPBACK: 'true',
      LOG_LEVEL: 'warn',
      ...this.overrides,
    };
  }

  async prepare(): Promise<void> {
    await createTopic(this.topic);
  }

  async startWorker(): Promise<void> {
    this.workerPort = await freePort();
    const env = { ...this.env(this.workerPort), NODE_OPTIONS: WORKER_NODE_OPTIONS };
    // To profile the worker: BENCH_WORKER_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench ...
    const execArgv = process.env.BENCH_WORKER_EXEC_ARGV?.split(' ').filter(Boolean) ?? [];
    this.worker = await spawnCompiled(
      this.combined ? 'run' : 'worker',
      env,
      this.combined ? 'bridge consuming' : 'worker started',
      execArgv,
      this.root,
    );
    if (this.combined) this.bridgePort = this.workerPort;
  }

  async startBridge(): Promise<void> {
    if (this.combined) return; // the combined process consumes already
    this.bridgePort = await freePort();
    // The same for the bridge: BENCH_BRIDGE_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/prof".
    const execArgv = process.env.BENCH_BRIDGE_EXEC_ARGV?.split(' ').filter(Boolean) ?? [];
    this.bridge = await spawnCompiled('bridge', this.env(this.bridgePort), 'bridge consuming', execArgv, this.root);
  }

  /** Runs that completed or failed so far, from the worker's own metrics (no load on Temporal's visibility). */
  async done(): Promise<number> {
    const samples = parseMetrics(await scrape(`http://127.0.0.1:${this.workerPort}/metrics`));
    return total(samples, 'pipeline_end_to_end_latency_seconds_count') + (await this.failedIn(samples));
  }

  private async failedIn(samples?: Sample[]): Promise<number> {
    return total(
      samples ?? parseMetrics(await scrape(`http://127.0.0.1:${this.workerPort}/metrics`)),
      'pipeline_dlq_entries_total',
    );
  }

  failed(): Promise<number> {
    return this.failedIn();
  }

  async eagerStartHitRatio(): Promise<number | undefined> {
    const samples = parseMetrics(await scrape(`http://127.0.0.1:${this.workerPort}/metrics`));
    return share(samples, 'pipeline_workflow_eager_starts_total', { eager: 'true' });
  }

  async started(): Promise<number> {
    const samples = parseMetrics(await scrape(`http://127.0.0.1:${this.bridgePort}/metrics`));
    return total(samples, 'pipeline_workflow_starts_total', { outcome: 'started' });
  }

  event(traceId: string, i: number): string {
    return JSON.stringify({
      ...sampleEvent(i, { sampleUrl: this.sample.url, attachments: 1, bytes: ATTACHMENT_BYTES }),
      traceId,
    });
  }

  produce(count: number, prefix: string): Promise<string[]> {
    return produceEvents(this.topic, count, this.sample.url, `${prefix}-${this.id}`, ATTACHMENT_BYTES);
  }

  async stop(): Promise<void> {
    await Promise.all([this.bridge && stopChild(this.bridge), this.worker && stopChild(this.worker)]);
    await terminateQueue(this.taskQueue);
    await deleteTopic(this.topic);
    fs.rmSync(this.lakehouse, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

const stackPid = (server: 'temporal' | 'kafka'): number | undefined => {
  try {
    return Number(fs.readFileSync(path.join(ROOT, '.state', server, 'pid'), 'utf8'));
  } catch {
    return undefined;
  }
};

/** CPU milliseconds per event of each process of the run: where the machine's two cores go. */
export type CpuPerEvent = Record<'worker' | 'bridge' | 'temporal' | 'kafka' | 'bench', number>;

function cpuSnapshot(rig: Rig): CpuPerEvent {
  return {
    worker: cpuSeconds(rig.worker?.pid),
    bridge: cpuSeconds(rig.bridge?.pid),
    temporal: cpuSeconds(benchTemporal.pid ?? stackPid('temporal')),
    kafka: cpuSeconds(stackPid('kafka')),
    bench: cpuSeconds(process.pid),
  };
}

/**
 * A backlog of `count` events produced before the pipeline starts, then processed: the rate is timed from the
 * bridge's first accepted start to the last run's end (the consumer-group join is a one-off, not a rate), with a
 * timeline sampled every second and both processes' RSS sampled throughout. Capped at `capS` seconds.
 */
export async function backlogRun(
  sample: SampleServer,
  count: number,
  capS: number,
  overrides: Record<string, string> = {},
  root = ROOT,
  combined = false,
): Promise<RunFigures & { cost?: PerEventCost }> {
  const rig = new Rig(sample, overrides, root, combined);
  try {
    await rig.prepare();
    await rig.produce(count, 'e2e');
    await rig.startWorker();
    const workerRss = rssSampler(rig.worker!.pid!);
    const workerIdle = workerRss.peak();
    const server0 = await serverSnapshot();
    await rig.startBridge();
    const bridgeRss = rssSampler((rig.bridge ?? rig.worker)!.pid!);
    const deadline = performance.now() + (capS + 60) * 1000;
    while ((await rig.started()) < 1 && performance.now() < deadline) await sleep(20);
    const t0 = performance.now();
    const mono0 = process.hrtime.bigint() / 1000n;
    const cpu0 = cpuSnapshot(rig);
    const timeline: TimelinePoint[] = [{ t: 0, done: 0 }];
    let done = 0;
    let next = 1000;
    while (done < count && performance.now() - t0 < capS * 1000) {
      await sleep(250);
      done = await rig.done();
      const t = performance.now() - t0;
      if (t >= next || done >= count) {
        timeline.push({ t: t / 1000, done });
        next += 1000;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuSnapshot(rig);
    // The timed window on the clock of V8's CPU profiles (CLOCK_MONOTONIC, µs): bench/cpu-profile.ts --window.
    process.stderr.write(` [profile window ${mono0}-${process.hrtime.bigint() / 1000n}, ${done} events]`);
    const cpuMsPerEvent = Object.fromEntries(
      Object.entries(cpu1).map(([k, v]) => [k, ((v - cpu0[k as keyof CpuPerEvent]) * 1000) / Math.max(1, done)]),
    ) as CpuPerEvent;
    const server1 = await serverSnapshot();
    const failed = await rig.failed();
    const commits = (table: string) => {
      const log = path.join(rig.lakehouse, 'Tables', table, '_delta_log');
      return fs.existsSync(log) ? fs.readdirSync(log).filter((f) => f.endsWith('.json')).length : 0;
    };
    const commitsPer1000 = {
      events: (commits('xact_events') * 1000) / Math.max(1, done),
      attachments: (commits('xact_attachments') * 1000) / Math.max(1, done),
    };
    const cost = done > 0 ? await perEventCost(rig.taskQueue, perEventCounts(server0, server1, done)) : undefined;
    const eagerStartHitRatio = combined ? await rig.eagerStartHitRatio() : undefined;
    return {
      events: count,
      done,
      seconds,
      eventsPerS: done / seconds,
      failed,
      timeline,
      workerPeakRssMb: workerRss.stop() / MB,
      workerIdleRssMb: workerIdle / MB,
      bridgePeakRssMb: bridgeRss.stop() / MB,
      cpuMsPerEvent,
      commitsPer1000,
      cost,
      eagerStartHitRatio,
    };
  } finally {
    await rig.stop();
  }
}

/** Completed runs whose histories are read for the per-event history length (and to cross-check the task counts). */
const HISTORY_SAMPLE = 20;

/**
 * What one event costs Temporal. Tasks and writes are counted on the server's metrics over the whole run (so
 * workflow-task retries, failed downloads handed to the regular activity, and the like are in them); history events
 * are the mean over a sample of completed runs' histories, which also give their own task counts as a cross-check.
 */
export interface PerEventCost {
  readonly workflowTasks: number;
  readonly activityTasks: number;
  readonly historyEvents: number;
  readonly persistenceWrites: number;
  readonly sample: {
    readonly runs: number;
    readonly workflowTasks: number;
    readonly activityTasks: number;
  };
}

async function perEventCost(taskQueue: string, counts: ServerCounters): Promise<PerEventCost> {
  const connection = await Connection.connect({ address: benchTemporal.address });
  try {
    const client = new Client({ connection });
    const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Completed'`;
    const totals = { runs: 0, events: 0, workflowTasks: 0, activityTasks: 0 };
    for await (const info of client.workflow.list({ query, pageSize: HISTORY_SAMPLE })) {
      const events = (await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory()).events ?? [];
      const count = (type: number) => events.filter((e) => e.eventType === type).length;
      totals.runs += 1;
      totals.events += events.length;
      totals.workflowTasks += count(ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) + count(ET.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      totals.activityTasks += count(ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
      if (totals.runs >= HISTORY_SAMPLE) break;
    }
    if (totals.runs === 0) throw new Error('no completed run to read the per-event history from');
    return {
      ...counts,
      historyEvents: totals.events / totals.runs,
      sample: {
        runs: totals.runs,
        workflowTasks: totals.workflowTasks / totals.runs,
        activityTasks: totals.activityTasks / totals.runs,
      },
    };
  } finally {
    await connection.close();
  }
}

/**
 * Latency from produce to workflow completed (its inventory row is committed before the workflow completes) at
 * a paced `rate` for `windowS` seconds, the pipeline running as in `backlogRun`.
 */
export async function latencyAt(
  sample: SampleServer,
  rate: number,
  windowS: number,
): Promise<{ p50: number; p95: number; p99: number; measured: number; total: number }> {
  const rig = new Rig(sample, {});
  const connection = await Connection.connect({ address: benchTemporal.address });
  try {
    await rig.prepare();
    await rig.startWorker();
    await rig.startBridge();
    // One event first, so the group join and the first workflow task's bundle load are not in the figures.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: rig.topic, messages: [{ value: rig.event(`warm-${rig.id}`, 0) }] });
    const warmDeadline = performance.now() + 120_000;
    while ((await rig.done()) < 1 && performance.now() < warmDeadline) await sleep(50);
    const total = Math.round(rate * windowS);
    const producedAt = new Map<string, number>();
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now()); // pacing
      const traceId = `lat-${rig.id}-${i}`;
      producedAt.set(xactWorkflowId(traceId), Date.now());
      await producer.send({ topic: rig.topic, messages: [{ key: traceId, value: rig.event(traceId, i) }] });
    }
    await producer.disconnect();
    const deadline = performance.now() + 10 * 60_000;
    while ((await rig.done()) < total + 1 && performance.now() < deadline) await sleep(100);
    const client = new Client({ connection });
    const latencies: number[] = [];
    for await (const info of client.workflow.list({
      query: `TaskQueue = '${rig.taskQueue}' AND ExecutionStatus = 'Completed'`,
    })) {
      const at = producedAt.get(info.workflowId);
      if (at !== undefined && info.closeTime) latencies.push(info.closeTime.getTime() - at);
    }
    latencies.sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      measured: latencies.length,
      total,
    };
  } finally {
    await connection.close();
    await rig.stop();
  }
}
