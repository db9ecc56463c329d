import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

interface NoopActivities {
  noop(): Promise<void>;
}
const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });

/** Ceiling baselines: `activities` no-op regular activities one after another (0: the empty workflow). */
export async function benchNoop(activities: number): Promise<number> {
  for (let i = 0; i < activities; i++) await noop();
  return activities;
}

/**
 * The pipeline workflow's shape with no-op steps: a local activity (event row and plan), one regular activity (the
 * transfer), a local activity (inventory rows): what Temporal alone costs per event on this machine.
 */
export async function benchPipelineShape(): Promise<void> {
  await local.noop();
  await noop();
  await local.noop();
}

/**
 * The pipeline workflow's common shape since issue 32 with no-op steps: three local activities (event row and plan,
 * the transfer run locally first, inventory rows): no activity task at all.
 */
export async function benchAllLocalShape(): Promise<void> {
  await local.noop();
  await local.noop();
  await local.noop();
}

/** `steps` no-op local activities one after another (bench/local-steps.ts: what one local activity costs). */
export async function benchLocalSteps(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await local.noop();
  return steps;
}
