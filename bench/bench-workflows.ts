import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

/** Baseline of the Temporal ceiling: a workflow that runs `activities` no-op activities one after another. */
export async function benchNoop(activities: number): Promise<number> {
  for (let i = 0; i < activities; i++) await noop();
  return activities;
}
