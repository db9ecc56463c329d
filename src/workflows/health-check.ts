import { proxyActivities } from '@temporalio/workflow';
import type { WorkerHealth } from '../shared/health';
import type { createActivities } from '../activities';

const { describeWorker } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/**
 * Proves end to end that a worker polls the pipeline's task queue and runs activities:
 * used by the smoke tests and handy for operators (`temporal workflow execute --type healthCheck ...`).
 */
export async function healthCheck(): Promise<WorkerHealth> {
  return await describeWorker();
}
