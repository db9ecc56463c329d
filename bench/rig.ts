import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMetrics, share, total, type Sample } from '../src/observability/scrape';
import { sampleEvent } from '../src/domains/xact/sample';
import type { FileServerStandin } from '../dev/file-server-standin';
import { PROCESS_NODE_OPTIONS } from '../src/worker/node-options';
import { freePort } from '../test/support/free-port';
import { ROOT } from '../test/support/stack';
import { benchTarget } from './target';
import { createTopic, deleteTopic, produceEvents, terminateQueue } from './ceilings';
import { spawnCompiled, stopChild } from './memory';
import { cpuSeconds, sumCpu } from './figures';

/** The attachment of every bench event: one 20 KB file, as in the 500-event burst. */
export const ATTACHMENT_BYTES = 20 * 1024;
export const scrape = (url: string): Promise<string> => fetch(url).then((r) => r.text());

/** How a rig runs the pipeline; every field defaults to the pipeline as shipped. */
export interface RigOptions {
  /** Environment of both processes on top of the bench's (configuration keys). */
  readonly overrides?: Record<string, string>;
  /** The checkout whose compiled worker and bridge run (another one for a same-run before/after). */
  readonly root?: string;
  /** One combined process (`kafka-pipeline run`, eager start) instead of a worker and a bridge process. */
  readonly combined?: boolean;
  /** The worker's NODE_OPTIONS instead of PROCESS_NODE_OPTIONS (bench/variants.ts). */
  readonly workerNodeOptions?: string;
  /** Node flags before the worker's script (V8 flags NODE_OPTIONS does not take, e.g. --single-threaded-gc). */
  readonly workerExecArgv?: readonly string[];
}

/**
 * The pipeline as deployed, on the real local stack: the compiled worker and the compiled bridge as two processes
 * of their own (production NODE_OPTIONS and defaults, as in the container image), the sample file server in this
 * process, the local lakehouse in a temp folder. Each rig has its own topic, consumer group and task queue.
 */
export class Rig {
  readonly id = randomUUID().slice(0, 8);
  readonly topic = `bench-e2e-${this.id}`;
  readonly taskQueue = `bench-e2e-${this.id}`;
  readonly lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-e2e-'));
  worker?: ChildProcess;
  bridge?: ChildProcess;
  workerPort = 0;
  bridgePort = 0;

  readonly combined: boolean;
  private readonly overrides: Record<string, string>;
  private readonly root: string;

  constructor(
    readonly sample: FileServerStandin,
    private readonly options: RigOptions = {},
  ) {
    this.combined = options.combined ?? false;
    this.overrides = options.overrides ?? {};
    this.root = options.root ?? ROOT;
  }

  env(port: number): Record<string, string> {
    return {
      ...benchTarget().env,
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
    const env = { ...this.env(this.workerPort), NODE_OPTIONS: this.options.workerNodeOptions ?? PROCESS_NODE_OPTIONS };
    // To profile the worker: BENCH_WORKER_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench ...
    const execArgv = [
      ...(this.options.workerExecArgv ?? []),
      ...(process.env.BENCH_WORKER_EXEC_ARGV?.split(' ').filter(Boolean) ?? []),
    ];
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU milliseconds per event of each process of the run: where the machine's two cores go. */
export type CpuPerEvent = Record<'worker' | 'bridge' | 'temporal' | 'database' | 'kafka' | 'bench', number>;

/** The CPU seconds so far of each process group of the run (the target's servers as its pids() lists them). */
export function cpuSnapshot(rig: Rig): CpuPerEvent {
  const servers = benchTarget().pids();
  return {
    worker: cpuSeconds(rig.worker?.pid),
    bridge: cpuSeconds(rig.bridge?.pid),
    temporal: sumCpu(servers.temporal),
    database: sumCpu(servers.database, true),
    kafka: sumCpu(servers.kafka),
    bench: cpuSeconds(process.pid),
  };
}
