import fs from 'node:fs';
import path from 'node:path';
import { Partitioners } from 'kafkajs';
import { temporal } from '@temporalio/proto';
import { xactWorkflowId } from '../src/shared/ids';
import type { FileServerStandin } from '../dev/file-server-standin';
import { cloudActions } from './cloud-actions';
import { benchTarget, targetClient, targetConfig, targetKafka } from './target';
import { percentile, rssSampler } from './figures';
import { perEventCounts, serverCounters, type ServerCounters } from './server-metrics';
import { cpuSnapshot, Rig, scrape, sleep, type CpuPerEvent, type RigOptions } from './rig';

export { ATTACHMENT_BYTES, type CpuPerEvent } from './rig';

const MB = 2 ** 20;
const ET = temporal.api.enums.v1.EventType;

/** The Temporal server's running totals (persistence writes, workflow and activity tasks) from its metrics page. */
const serverSnapshot = async (): Promise<ServerCounters> =>
  serverCounters(await scrape(benchTarget().metricsUrl), targetConfig().temporalNamespace);

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
 * A backlog of `count` events produced before the pipeline starts, then processed: the rate is timed from the
 * bridge's first accepted start to the last run's end (the consumer-group join is a one-off, not a rate), with a
 * timeline sampled every second and both processes' RSS sampled throughout. Capped at `capS` seconds.
 */
export async function backlogRun(
  sample: FileServerStandin,
  count: number,
  capS: number,
  options: RigOptions = {},
): Promise<RunFigures & { cost?: PerEventCost }> {
  const rig = new Rig(sample, options);
  const combined = rig.combined;
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
    // BENCH_TRACE=FILE: every poll's starts and completions, for finding stalls (`npx tsx bench/trace.ts FILE` prints them).
    const trace = process.env.BENCH_TRACE ? ([] as { t: number; started: number; done: number }[]) : undefined;
    while (done < count && performance.now() - t0 < capS * 1000) {
      await sleep(trace ? 100 : 250);
      done = await rig.done();
      const t = performance.now() - t0;
      if (trace) trace.push({ t: Math.round(t), started: await rig.started(), done });
      if (t >= next || done >= count) {
        timeline.push({ t: t / 1000, done });
        next += 1000;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    if (trace) fs.appendFileSync(process.env.BENCH_TRACE!, JSON.stringify({ count, trace }) + '\n');
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
  /** Temporal Cloud actions (bench/cloud-actions.ts), the mean over the same completed runs' histories. */
  readonly cloudActions: number;
  readonly persistenceWrites: number;
  readonly sample: {
    readonly runs: number;
    readonly workflowTasks: number;
    readonly activityTasks: number;
  };
}

async function perEventCost(taskQueue: string, counts: ServerCounters): Promise<PerEventCost> {
  const { connection, client } = await targetClient();
  try {
    const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Completed'`;
    const totals = { runs: 0, events: 0, workflowTasks: 0, activityTasks: 0, cloudActions: 0 };
    for await (const info of client.workflow.list({ query, pageSize: HISTORY_SAMPLE })) {
      const events = (await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory()).events ?? [];
      const count = (type: number) => events.filter((e) => e.eventType === type).length;
      totals.runs += 1;
      totals.events += events.length;
      totals.cloudActions += cloudActions(events).total;
      totals.workflowTasks += count(ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) + count(ET.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      totals.activityTasks += count(ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
      if (totals.runs >= HISTORY_SAMPLE) break;
    }
    if (totals.runs === 0) throw new Error('no completed run to read the per-event history from');
    return {
      ...counts,
      historyEvents: totals.events / totals.runs,
      cloudActions: totals.cloudActions / totals.runs,
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
  sample: FileServerStandin,
  rate: number,
  windowS: number,
): Promise<{ p50: number; p95: number; p99: number; measured: number; total: number }> {
  const rig = new Rig(sample);
  const { connection, client } = await targetClient();
  try {
    await rig.prepare();
    await rig.startWorker();
    await rig.startBridge();
    // One event first, so the group join and the first workflow task's bundle load are not in the figures.
    const producer = targetKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
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
    // Visibility records a run's close through a queue of its own, moments after the run closed (on SQL visibility
    // a read right after the last completion missed 2 of 527): wait until it lists what the worker counted.
    const query = `TaskQueue = '${rig.taskQueue}' AND ExecutionStatus = 'Completed'`;
    const listed = performance.now() + 60_000;
    while ((await client.workflow.count(query)).count < (await rig.done()) && performance.now() < listed)
      await sleep(250);
    const latencies: number[] = [];
    for await (const info of client.workflow.list({ query })) {
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
