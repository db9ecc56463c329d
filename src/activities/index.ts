import type { WorkerHealth } from '../shared/health';

export interface ActivityDeps {
  readonly workerId: string;
  readonly taskQueue: string;
}

/** Activities are built from their dependencies, so tests and the worker wire in different adapters. */
export function createActivities(deps: ActivityDeps) {
  return {
    async describeWorker(): Promise<WorkerHealth> {
      return {
        workerId: deps.workerId,
        pid: process.pid,
        taskQueue: deps.taskQueue,
        checkedAt: new Date().toISOString(),
      };
    },
  };
}
