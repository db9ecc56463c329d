import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

interface NoopActivities {
  noop(): Promise<void>;
}
const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });

/** Empty workflow. */
export async function empty(): Promise<void> {}

/** Three local activities: the pipeline's common shape since local-first transfer. */
export async function local3(): Promise<void> {
  await local.noop();
  await local.noop();
  await local.noop();
}

/** Local, regular, local. */
export async function mixed(): Promise<void> {
  await local.noop();
  await noop();
  await local.noop();
}
