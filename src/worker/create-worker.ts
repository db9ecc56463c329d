import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, type InjectedSinks, type WorkerOptions } from '@temporalio/worker';
import { temporalDataConverter } from '../codec/data-converter';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { OutcomeSinks } from '../workflows/sinks';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../config/config';
import { temporalConnectionOptions } from '../wiring/temporal';
import { buildActivityDeps } from './build-deps';
import { ReportedRuns } from './reported-runs';

export const WORKFLOWS_PATH = require.resolve('../workflows');
/**
 * The compiled worker (dist/) uses the bundle `npm run build` made next to it (one per failure converter: with
 * payload encryption on, failure text is encoded inside the workflow sandbox too); the TypeScript sources bundle at
 * start instead, so a stale bundle can never be picked up while developing.
 */
export const PREBUILT_BUNDLES = {
  plain: path.resolve(__dirname, '..', '..', 'workflow-bundle.js'),
  encrypted: path.resolve(__dirname, '..', '..', 'workflow-bundle-encrypted.js'),
} as const;
function workflowSource(encrypted: boolean): { workflowsPath: string } | { workflowBundle: { codePath: string } } {
  const compiled = __filename.endsWith('.js');
  const bundle = PREBUILT_BUNDLES[encrypted ? 'encrypted' : 'plain'];
  return compiled && fs.existsSync(bundle)
    ? { workflowBundle: { codePath: bundle } }
    : { workflowsPath: WORKFLOWS_PATH };
}

export interface PipelineWorker {
  readonly worker: Worker;
  readonly connection: NativeConnection;
  readonly deps: ActivityDeps;
}

/**
 * Builds the pipeline worker (not yet running) on `shared`, or on a connection of its own that the caller closes
 * (`connection` of the result) when none is given.
 */
export async function createPipelineWorker(
  config: Config,
  deps?: ActivityDeps,
  metrics?: WorkerMetrics,
  shared?: NativeConnection,
): Promise<PipelineWorker> {
  const activityDeps = deps ?? (await buildActivityDeps(config));
  const connection = shared ?? (await NativeConnection.connect(temporalConnectionOptions(config)));
  try {
    const dataConverter = temporalDataConverter(config);
    const worker = await Worker.create({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      identity: activityDeps.workerId,
      ...workflowSource(dataConverter?.failureConverterPath !== undefined),
      ...(dataConverter ? { dataConverter } : {}),
      activities: createActivities(activityDeps),
      ...workerTuning(config),
      shutdownGraceTime: config.workerShutdownGraceS * 1000,
      sinks: outcomeSinks(metrics),
    });
    return { worker, connection, deps: activityDeps };
  } catch (err) {
    if (!shared) await connection.close();
    throw err;
  }
}

/**
 * Concurrency and cache of a pipeline worker (chosen by measurement: docs/performance.md). The cache keeps each
 * open workflow's state between its tasks; a workflow evicted from it is rebuilt by replaying its history, so it
 * holds at least as many workflows as the bridge lets run at once (BRIDGE_MAX_OPEN_WORKFLOWS).
 */
export function workerTuning(
  config: Pick<
    Config,
    | 'workerMaxConcurrentActivities'
    | 'workerMaxCachedWorkflows'
    | 'workerMaxConcurrentWorkflowTasks'
    | 'workerWorkflowThreads'
  >,
): Pick<
  WorkerOptions,
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'workflowThreadPoolSize'
> {
  return {
    maxConcurrentActivityTaskExecutions: config.workerMaxConcurrentActivities,
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.workerMaxConcurrentWorkflowTasks,
    workflowThreadPoolSize: config.workerWorkflowThreads,
  };
}

/** Where the workflows' `outcomes` sink lands: the worker's metrics (a no-op without them). */
export function outcomeSinks(metrics?: WorkerMetrics): InjectedSinks<OutcomeSinks> {
  const reported = new ReportedRuns();
  return {
    outcomes: {
      completed: {
        fn: (info, domain, eventTime, replay) => {
          if (reported.first(info.runId)) metrics?.runCompleted(domain, eventTime, replay);
        },
        callDuringReplay: false,
      },
      failed: {
        fn: (info, domain, category, stage, replay) => {
          if (reported.first(info.runId)) metrics?.runFailed(domain, category, stage, replay);
        },
        callDuringReplay: false,
      },
    },
  };
}
