import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { mapBounded } from '../shared/bounded';
import { XACT_DOMAIN } from '../shared/ids';
import type { AttachmentPlan, IngestSummary, IngestXactInput, TransferResult } from '../shared/pipeline-types';
import { xactEventId } from '../shared/uuid5';
import type { createActivities } from '../activities';
import { IngestRun } from './ingest-scaffold';
import { reportingOutcome } from './sinks';
import { LOCAL_TRANSFER_TIMEOUT_MS, SHORT_STEP_RETRY, step } from './steps';

type Activities = ReturnType<typeof createActivities>;

/**
 * Runs started with `localSteps: true` (every run the bridge starts today) do the short steps as local activities:
 * they run in the worker inside the workflow task, so an event costs two workflow tasks and one regular activity
 * per attachment instead of four regular activities, each with a workflow task of its own (docs/performance.md).
 */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/**
 * The patch of the one local step (issue 32): runs started since record the event, plan, try each transfer locally
 * and record the transferred attachments' rows in one local activity (ingestXactLocally), so a common event costs one
 * local activity instead of three; runs started before replay the three-step shape.
 */
export const ONE_LOCAL_STEP_PATCH = 'one-local-step';

/** Runs started before that change keep the shape they were recorded with, so their histories replay. */
const legacy = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/**
 * One xact event: record its xact_events row, transfer each attachment to the lakehouse (in parallel, bounded),
 * then record one xact_attachments row per transferred attachment. Any attachment that fails permanently or
 * exhausts its retries fails the run after what succeeded is recorded, so the event lands in the DLQ with a
 * message naming each failed attachment; FailedStage / ErrorCategory say where and why (./ingest-scaffold.ts).
 */
export async function ingestXactEvent(input: IngestXactInput): Promise<IngestSummary> {
  return reportingOutcome(XACT_DOMAIN, input.event.utcDateTime, () => ingest(input));
}

type Row = { plan: AttachmentPlan; result: TransferResult };

async function ingest(input: IngestXactInput): Promise<IngestSummary> {
  const { event } = input;
  const run = new IngestRun<Row>(input, { item: 'attachment', done: 'transferred' });
  if (input.localSteps && !input.claimCheck && patched(ONE_LOCAL_STEP_PATCH)) return ingestInOneStep(input, run);
  const plans = await recordEventAndPlan(input);
  await mapBounded(plans, input.maxParallelAttachments, async (plan) => {
    const cause = plan.problem ?? (await run.transfer(plan, (result) => ({ plan, result })));
    if (cause) run.failed(plan, cause.type, cause.message);
  });
  const steps = input.localSteps ? local : legacy;
  await run.recordRows((rows) => steps.recordAttachments(event, rows));
  return run.finish({ traceId: event.traceId, eventId: xactEventId(event.traceId) }, { plans });
}

/**
 * The common event in one local activity: what it transferred is recorded already; what it handed over (its local
 * attempt failed) goes to the regular activity, with its retries, and those rows are recorded in a second step.
 */
async function ingestInOneStep(input: IngestXactInput, run: IngestRun<Row>): Promise<IngestSummary> {
  const { event } = input;
  const done = await step('delta', () =>
    local.ingestXactLocally(event, input.rawJson, {
      maxParallel: input.maxParallelAttachments,
      transferTimeoutMs: LOCAL_TRANSFER_TIMEOUT_MS,
    }),
  );
  const planOf = new Map(done.plans.map((p) => [p.mediaId, p]));
  for (const result of done.transferred) run.recorded(planOf.get(result.mediaId)!, result);
  const handedOver = new Set(done.handedOver.map((h) => h.mediaId));
  await mapBounded(
    done.plans.filter((p) => p.problem || handedOver.has(p.mediaId)),
    input.maxParallelAttachments,
    async (plan) => {
      const cause = plan.problem ?? (await run.transfer(plan, (result) => ({ plan, result }), 'regular'));
      if (cause) run.failed(plan, cause.type, cause.message);
    },
  );
  await run.recordRows((rows) => local.recordAttachments(event, rows));
  return run.finish({ traceId: event.traceId, eventId: xactEventId(event.traceId) }, { plans: done.plans });
}

/** The event's row and its attachments' plans, in the shape the run was started with. */
async function recordEventAndPlan(input: IngestXactInput): Promise<AttachmentPlan[]> {
  const { event, claimCheck } = input;
  if (claimCheck) return step('delta', () => local.recordClaimCheckedEventAndPlan(claimCheck));
  if (input.localSteps) return step('delta', () => local.recordEventAndPlan(event, input.rawJson));
  await step('delta', () => legacy.recordEvent(event, input.rawJson));
  return step('validate', () => legacy.planAttachments(event));
}
