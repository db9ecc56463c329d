import { ApplicationFailure, proxyActivities, proxyLocalActivities, setCurrentDetails } from '@temporalio/workflow';
import { mapBounded } from '../shared/bounded';
import { ATTACHMENTS_FAILED } from '../shared/errors';
import { XACT_DOMAIN } from '../shared/ids';
import type {
  AttachmentOutcome,
  AttachmentPlan,
  IngestSummary,
  IngestXactInput,
  TransferResult,
} from '../shared/pipeline-types';
import { xactEventId } from '../shared/uuid5';
import type { createActivities } from '../activities';
import { reportingOutcome } from './sinks';
import { detailsText, failed, markFailed, rootCause, SHORT_STEP_RETRY, step, transferStep } from './steps';

type Activities = ReturnType<typeof createActivities>;

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
  const transfer = transferStep(input);

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
