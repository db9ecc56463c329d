import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config/config';
import { mapBounded } from '../src/shared/bounded';
import { workerTuning } from '../src/worker/create-worker';
import { terminateQueue } from './ceilings';
import type { Figure } from './figures';
import { benchTarget, targetClient, targetConfig, targetNativeConnection, type BenchTarget } from './target';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Worker settings of a ceiling: the SDK's defaults (the yardstick: our own settings must not lower it) or the
 * pipeline worker's (what the pipeline itself runs with).
 */
export type CeilingSettings = 'sdk defaults' | 'pipeline';

const tuning = (settings: CeilingSettings) => (settings === 'pipeline' ? workerTuning(loadConfig({})) : {});

/**
 * Workflows of `type` completed per second by one in-process worker with the given settings (no eager start), and
 * the CPU this process (the client and the in-process worker) spent per workflow while timed.
 */
export async function completionRun(
  client: Client,
  target: BenchTarget,
  type: string,
  args: unknown[],
  count: number,
  concurrency: number,
  settings: CeilingSettings,
): Promise<{ perS: number; cpuMsPerWorkflow: number }> {
  const queue = `bench-${type}-${randomUUID().slice(0, 8)}`;
  const connection = await targetNativeConnection(target);
  const worker = await Worker.create({
    connection,
    namespace: targetConfig(target).temporalNamespace,
    taskQueue: queue,
    workflowsPath: require.resolve('./bench-workflows'),
    activities: { noop: async () => undefined },
    ...tuning(settings),
  });
  const run = worker.run();
  // A few runs first, so the workflow bundle's first activation and the poller ramp-up are not timed.
  await mapBounded(range(Math.min(16, count)), concurrency, (i) =>
    client.workflow.execute(type, { taskQueue: queue, workflowId: `${queue}-warm-${i}`, args }),
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await mapBounded(range(count), concurrency, (i) =>
    client.workflow.execute(type, { taskQueue: queue, workflowId: `${queue}-${i}`, args }).then(() => undefined),
  );
  const perS = count / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  worker.shutdown();
  await run;
  await connection.close();
  return { perS, cpuMsPerWorkflow: (cpu.user + cpu.system) / 1000 / count };
}

export interface TemporalCeilings {
  readonly startsPerS: number;
  /** The empty workflow with the SDK's default worker settings: the yardstick of the end-to-end ratio. */
  readonly emptyPerS: number;
  /** The empty workflow with the pipeline worker's settings, beside the yardstick. */
  readonly emptyPipelineSettingsPerS: number;
  /** local, regular, local (the transfer as a regular activity: the shape on trouble, and before issue 32). */
  readonly shapePerS: number;
  /** local, local, local (the transfer as a local activity: claimx's shape, and xact's before the one local step). */
  readonly allLocalPerS: number;
  /** One local activity: the common xact event since the one local step (issue 32). */
  readonly oneLocalPerS: number;
  readonly legacyShapePerS: number;
}

/**
 * Workflow starts accepted per second with `concurrency` in flight, on a fresh task queue no worker polls (the runs
 * stay open: terminate the queue afterwards). Timed from the first accepted start to the last, (starts - 1) over that
 * time: the way the bridge figure times the bridge (bench/bridge-rate.ts), so neither side counts its ramp-up.
 */
export async function rawStartRate(
  client: Client,
  starts: number,
  concurrency: number,
): Promise<{ perS: number; taskQueue: string }> {
  const taskQueue = `bench-starts-${randomUUID().slice(0, 8)}`;
  let first = 0;
  await mapBounded(range(starts), concurrency, (i) =>
    client.workflow.start('benchNoop', { taskQueue, workflowId: `${taskQueue}-${i}`, args: [0] }).then(() => {
      first ||= performance.now();
    }),
  );
  return { perS: (starts - 1) / ((performance.now() - first) / 1000), taskQueue };
}

/**
 * 2. Temporal alone, same run: raw start rate at the bridge's concurrency, the empty workflow's completion rate with
 * the SDK's default worker settings (the yardstick) and with the pipeline's, and with the pipeline's settings the
 * completion rates of the workflow's shapes with no-op steps: all local (the common case), local-regular-local
 * (a transfer on the regular activity) and the shape before session 8 (4 regular activities). `address` lets the
 * bench ask a second server, or the cluster profile, the same questions.
 */
export async function temporalCeilings(
  starts: number,
  completions: number,
  concurrency: number,
  target = benchTarget(),
): Promise<TemporalCeilings> {
  const { connection, client } = await targetClient(target);
  // Each part's seconds on the progress line: the step took 92 s in some full runs and 360 s in others.
  const timed = async <T>(part: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const out = await fn();
    process.stderr.write(` [${part} ${((Date.now() - t0) / 1000).toFixed(0)} s]`);
    return out;
  };
  const { perS: startsPerS, taskQueue: idle } = await timed('starts', () => rawStartRate(client, starts, concurrency));
  await timed('terminate', () => terminateQueue(idle, target));
  const rate = async (part: string, type: string, args: unknown[], settings: CeilingSettings = 'pipeline') =>
    (await timed(part, () => completionRun(client, target, type, args, completions, concurrency, settings))).perS;
  const emptyPerS = await rate('empty, sdk defaults', 'benchNoop', [0], 'sdk defaults');
  const emptyPipelineSettingsPerS = await rate('empty', 'benchNoop', [0]);
  const shapePerS = await rate('local-regular-local', 'benchPipelineShape', []);
  const allLocalPerS = await rate('local x3', 'benchAllLocalShape', []);
  const oneLocalPerS = await rate('one local', 'benchLocalSteps', [1]);
  const legacyShapePerS = await rate('4 regular', 'benchNoop', [4]);
  await connection.close();
  return { startsPerS, emptyPerS, emptyPipelineSettingsPerS, shapePerS, allLocalPerS, oneLocalPerS, legacyShapePerS };
}

export function ceilingFigures(c: TemporalCeilings, starts: number, completions: number): Figure[] {
  const setup = `${completions} workflows, 64 in flight, 1 in-process worker, no eager start`;
  const note = `${setup} (pipeline worker settings)`;
  const vsEmpty = (value: number) => ({
    baseline: { name: 'empty workflow wf/s', value: c.emptyPerS },
    ratio: value / c.emptyPerS,
  });
  return [
    {
      section: 'ceilings',
      name: 'Temporal workflow starts',
      value: c.startsPerS,
      unit: 'starts/s',
      note: `${starts} starts, 64 in flight`,
    },
    {
      section: 'ceilings',
      name: 'Temporal empty workflow',
      value: c.emptyPerS,
      unit: 'wf/s',
      note: `${setup} (SDK default worker settings: the yardstick)`,
    },
    {
      section: 'ceilings',
      name: 'Temporal empty workflow, pipeline worker settings',
      value: c.emptyPipelineSettingsPerS,
      unit: 'wf/s',
      ...vsEmpty(c.emptyPipelineSettingsPerS),
      note,
    },
    {
      section: 'ceilings',
      name: 'pipeline workflow shape, no-op steps (one local step: the common xact event)',
      value: c.oneLocalPerS,
      unit: 'wf/s',
      ...vsEmpty(c.oneLocalPerS),
      note,
    },
    {
      section: 'ceilings',
      name: 'pipeline workflow shape, no-op steps (local, local, local: claimx, and xact before the one local step)',
      value: c.allLocalPerS,
      unit: 'wf/s',
      ...vsEmpty(c.allLocalPerS),
      note,
    },
    {
      section: 'ceilings',
      name: 'pipeline workflow shape, no-op steps (local, regular, local)',
      value: c.shapePerS,
      unit: 'wf/s',
      ...vsEmpty(c.shapePerS),
      note,
    },
    {
      section: 'ceilings',
      name: 'shape before session 8, no-op steps (4 regular activities)',
      value: c.legacyShapePerS,
      unit: 'wf/s',
      ...vsEmpty(c.legacyShapePerS),
      note,
    },
  ];
}
