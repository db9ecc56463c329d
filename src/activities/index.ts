import type { WorkerHealth } from '../shared/health';
import { createClaimxActivities } from './claimx/activities';
import type { ActivityDeps } from './deps';
import { createMaintenanceActivities } from './maintenance';
import { createRecordActivities } from './records';
import { createLocalIngest } from './local-ingest';
import { createTransfer, createTransferAttempts } from './transfer';

export type { ActivityDeps, RecordResult, RowWriter } from './deps';
export { planAttachments } from './plan';

/** Activities are built from their dependencies, so tests and the worker wire in different adapters. */
export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const records = createRecordActivities(deps);
  const attempts = createTransferAttempts(deps);
  return {
    async describeWorker(): Promise<WorkerHealth> {
      return { workerId: deps.workerId, pid: process.pid, taskQueue: deps.taskQueue, checkedAt: now().toISOString() };
    },
    ...records,
    ...createTransfer(deps, attempts),
    ...createLocalIngest({ ...records, transferLocally: attempts.local }),
    ...createClaimxActivities(deps.claimx),
    ...createMaintenanceActivities(deps.store, deps.maintenance),
  };
}
