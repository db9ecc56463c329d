import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type RetryPolicy,
  TimeoutFailure,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { classify, NON_RETRYABLE_ERROR_TYPES, type FailedStage } from '../shared/errors';
import type { AttachmentPlan, RetrySchedule, TransferResult } from '../shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import type { createActivities } from '../activities';

/** The steps both domains' workflows share: running a step, the transfer, a failure's root cause and search attributes. */

type Activities = ReturnType<typeof createActivities>;

const TRANSFER_HEARTBEAT_TIMEOUT = '20 seconds';
const TIMEOUT_RETRY_MS = 1_000;

// The short steps (Delta rows, planning) retry transient storage trouble for about an hour.
export const SHORT_STEP_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 20,
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
};

/**
 * The patch of the local-first transfer: runs started by a worker without it (each transfer a regular activity)
 * replay that shape; runs started since try each transfer as a local activity first (docs/design.md).
 */
export const LOCAL_FIRST_TRANSFER_PATCH = 'local-first-transfer';

/**
 * Time bound of the local attempt: well inside the workflow task timeout (10 s), since the workflow task waits for
 * it. A transfer that needs longer is handed to the regular activity.
 */
export const LOCAL_TRANSFER_TIMEOUT_MS = 5_000;

/** One local attempt, never retried locally: any failure is the regular activity's to retry. */
const localTransfer = proxyLocalActivities<Activities>({
  startToCloseTimeout: LOCAL_TRANSFER_TIMEOUT_MS,
  retry: { maximumAttempts: 1 },
}).transferAttachmentLocally;

/**
 * A transfer, local first, regular on trouble: one local attempt inside the workflow task (bounded by
 * TRANSFER_LOCAL_MAX_BYTES and LOCAL_TRANSFER_TIMEOUT_MS); if it fails for any reason (too large, timed out, an HTTP
 * error) `regular` (the transferAttachment activity, regularTransfer) takes over with the run's time limit, heartbeats
 * and retry schedule, so every real failure is in the history as that activity's failures. The local attempt's
 * failure stays in the history as its marker, which `dlq view` shows before the regular attempts.
 */
export function transferStep(
  regular: (plan: AttachmentPlan) => Promise<TransferResult>,
): (plan: AttachmentPlan) => Promise<TransferResult> {
  return async (plan: AttachmentPlan) => {
    if (patched(LOCAL_FIRST_TRANSFER_PATCH)) {
      try {
        return await localTransfer(plan);
      } catch (err) {
        if (isCancellation(err)) throw err;
        // Handed over: the regular activity below is tried with the full retry schedule.
      }
    }
    return regular(plan);
  };
}

/** The transferAttachment activity with the run's time limit and retry schedule. */
export function regularTransfer(input: {
  readonly transferTimeoutMs: number;
  readonly retry: RetrySchedule;
}): (plan: AttachmentPlan) => Promise<TransferResult> {
  const transferActivity = proxyActivities<Activities>({
    startToCloseTimeout: input.transferTimeoutMs,
    // The transfer heartbeats at least every 5 s while it runs: 20 s without one means its worker is gone.
    heartbeatTimeout: TRANSFER_HEARTBEAT_TIMEOUT,
    retry: {
      // A transfer lost with its worker is tried again 1 s after its heartbeat timeout, on any worker. The
      // activity's own transient failures carry the RETRY_* ladder's delay (nextRetryDelay), which wins.
      initialInterval: TIMEOUT_RETRY_MS,
      backoffCoefficient: 2,
      maximumInterval: Math.max(TIMEOUT_RETRY_MS, input.retry.maximumIntervalMs),
      maximumAttempts: input.retry.maximumAttempts,
      nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
    },
  }).transferAttachment;
  return (plan: AttachmentPlan) => transferActivity(plan, input.retry);
}

/** Runs an activity step; if it ends in failure, the run fails with the cause's message and stage. */
export async function step<T>(stage: FailedStage, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const cause = rootCause(err);
    const { category } = classify(cause.type, stage);
    markFailed(category, stage);
    throw ApplicationFailure.create({
      type: cause.type ?? 'Unknown',
      nonRetryable: true,
      message: `${stage} step failed: ${cause.message}`,
    });
  }
}

export function rootCause(err: unknown): { type: string; message: string; httpStatus: number | null } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const status = (cause.details?.[0] as { httpStatus?: unknown } | undefined)?.httpStatus;
    return {
      type: cause.type ?? 'Unknown',
      message: cause.message,
      httpStatus: typeof status === 'number' ? status : null,
    };
  }
  if (cause instanceof TimeoutFailure) {
    // Temporal ended the attempt (heartbeat or start-to-close timeout): no error of ours, and retryable.
    const kind = String(cause.timeoutType ?? 'unknown').toLowerCase();
    return { type: 'ActivityTimeout', message: `the attempt timed out (${kind} timeout)`, httpStatus: null };
  }
  return { type: 'Unknown', message: cause instanceof Error ? cause.message : String(cause), httpStatus: null };
}

export function markFailed(category: string, stage: string): void {
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.errorCategory, value: category },
    { key: SEARCH_ATTRIBUTES.failedStage, value: stage },
  ]);
}
