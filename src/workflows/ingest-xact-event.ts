import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  type RetryPolicy,
  setCurrentDetails,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { mapBounded } from '../shared/bounded';
import { ATTACHMENTS_FAILED, classify, NON_RETRYABLE_ERROR_TYPES, type FailedStage } from '../shared/errors';
import { XACT_DOMAIN } from '../shared/ids';
import {
  type AttachmentOutcome,
  type AttachmentPlan,
  type IngestSummary,
  type IngestXactInput,
  type TransferResult,
} from '../shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { xactEventId } from '../shared/uuid5';
import type { createActivities } from '../activities';
import { reportingOutcome } from './sinks';

type Activities = ReturnType<typeof createActivities>;

const TRANSFER_HEARTBEAT_TIMEOUT = '20 seconds';
const TIMEOUT_RETRY_MS = 1_000;

// The short steps (Delta rows, planning) retry transient storage trouble for about an hour.
const SHORT_STEP_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 20,
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
};

/**
 * Runs started with `localSteps: true` (every run the bridge starts today) do the short steps as local activities:
 * they run in the worker inside the workflow task, so an event costs two workflow tasks and one regular activity
 * per attachment instead of four regular activities, each with a workflow task of its own (docs/performance.md).
 */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/** Runs started before that change keep the shape they were recorded with, so their histories replay. */
const legacy = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/**
 * One xact event: record its xact_events row, transfer each attachment to the lakehouse (in parallel, bounded),
 * then record one xact_attachments row per transferred attachment. Any attachment that fails permanently or
 * exhausts its retries fails the run after what succeeded is recorded, so the event lands in the DLQ with a
 * message naming each failed attachment; FailedStage / ErrorCategory say where and why.
 */
export async function ingestXactEvent(input: IngestXactInput): Promise<IngestSummary> {
  return reportingOutcome(XACT_DOMAIN, input.event.utcDateTime, () => ingest(input));
}

async function ingest(input: IngestXactInput): Promise<IngestSummary> {
  const { event } = input;
  const eventId = xactEventId(event.traceId);
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
  const transfer = (plan: AttachmentPlan) => transferActivity(plan, input.retry);

  let plans: AttachmentPlan[];
  if (input.claimCheck) {
    const ref = input.claimCheck;
    plans = await step('delta', () => local.recordClaimCheckedEventAndPlan(ref));
  } else if (input.localSteps) {
    plans = await step('delta', () => local.recordEventAndPlan(event, input.rawJson));
  } else {
    await step('delta', () => legacy.recordEvent(event, input.rawJson));
    plans = await step('validate', () => legacy.planAttachments(event));
  }

  const outcomes: AttachmentOutcome[] = [];
  const transferred: { plan: AttachmentPlan; result: TransferResult }[] = [];
  await mapBounded(plans, input.maxParallelAttachments, async (plan) => {
    if (plan.problem) {
      outcomes.push(failed(plan, plan.problem.type, plan.problem.message));
      return;
    }
    try {
      const result = await transfer(plan);
      transferred.push({ plan, result });
      outcomes.push({
        mediaId: plan.mediaId,
        displayUrl: plan.displayUrl,
        blobPath: plan.blobPath,
        status: 'transferred',
        bytes: result.bytes,
      });
    } catch (err) {
      const cause = rootCause(err);
      outcomes.push(failed(plan, cause.type, cause.message));
    }
  });
  if (transferred.length > 0) {
    const steps = input.localSteps ? local : legacy;
    await step('delta', () => steps.recordAttachments(event, transferred));
  }

  const failures = outcomes.filter((o) => o.status === 'failed');
  const ordered = plans.map((p) => outcomes.find((o) => o.mediaId === p.mediaId)!);
  setCurrentDetails(detailsText(ordered));
  if (failures.length > 0) {
    markFailed(failures[0].errorCategory!, failures[0].failedStage!);
    const lines = failures.map((f) => `${f.displayUrl} -> ${f.errorType}: ${f.message}`);
    throw ApplicationFailure.create({
      type: ATTACHMENTS_FAILED,
      nonRetryable: true,
      message: `${failures.length} of ${plans.length} attachment(s) failed (${transferred.length} transferred and recorded):\n${lines.join('\n')}`,
      details: [{ traceId: event.traceId, eventId, outcomes: ordered }],
    });
  }
  return { traceId: event.traceId, eventId, attachments: ordered };
}

function failed(plan: AttachmentPlan, type: string, message: string): AttachmentOutcome {
  const { category, stage } = classify(type, 'download');
  return {
    mediaId: plan.mediaId,
    displayUrl: plan.displayUrl,
    blobPath: plan.blobPath,
    status: 'failed',
    errorType: type,
    errorCategory: category,
    failedStage: stage,
    message,
  };
}

/** Runs an activity step; if it ends in failure, the run fails with the cause's message and stage. */
async function step<T>(stage: FailedStage, run: () => Promise<T>): Promise<T> {
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

function rootCause(err: unknown): { type: string; message: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'Unknown', message: cause.message };
  return { type: 'Unknown', message: cause instanceof Error ? cause.message : String(cause) };
}

function markFailed(category: string, stage: string): void {
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.errorCategory, value: category },
    { key: SEARCH_ATTRIBUTES.failedStage, value: stage },
  ]);
}

function detailsText(outcomes: readonly AttachmentOutcome[]): string {
  if (outcomes.length === 0) return 'event recorded; no attachments';
  const rows = outcomes.map((o) =>
    o.status === 'transferred'
      ? `- ok ${o.blobPath} (${o.bytes} bytes)`
      : `- FAILED ${o.displayUrl}: ${o.errorType} ${o.message}`,
  );
  return `attachments:\n${rows.join('\n')}`;
}
