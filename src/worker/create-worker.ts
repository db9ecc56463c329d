import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../config/config';
import { buildActivityDeps } from './build-deps';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export interface PipelineWorker {
  readonly worker: Worker;
  readonly connection: NativeConnection;
  readonly deps: ActivityDeps;
}

/** Connects to Temporal and builds the pipeline worker (not yet running). */
export async function createPipelineWorker(config: Config, deps?: ActivityDeps): Promise<PipelineWorker> {
  const activityDeps = deps ?? (await buildActivityDeps(config));
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      identity: activityDeps.workerId,
      workflowsPath: WORKFLOWS_PATH,
      activities: createActivities(activityDeps),
      maxConcurrentActivityTaskExecutions: config.workerMaxConcurrentActivities,
    });
    return { worker, connection, deps: activityDeps };
  } catch (err) {
    await connection.close();
    throw err;
  }
}
