import os from 'node:os';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config/config';
import { createActivities } from '../activities';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export interface PipelineWorker {
  readonly worker: Worker;
  readonly connection: NativeConnection;
}

/** Connects to Temporal and builds the pipeline worker (not yet running). */
export async function createPipelineWorker(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'taskQueue'>,
): Promise<PipelineWorker> {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const workerId = `${os.hostname()}:${process.pid}`;
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      identity: workerId,
      workflowsPath: WORKFLOWS_PATH,
      activities: createActivities({ workerId, taskQueue: config.taskQueue }),
    });
    return { worker, connection };
  } catch (err) {
    await connection.close();
    throw err;
  }
}
