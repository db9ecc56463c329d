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
  const { plans, left, how } = await firstSteps(input, run);
  await mapBounded(left, input.maxParallelAttachments, async (plan) => {
    const cause = plan.problem ?? (await run.transfer(plan, (result) => ({ plan, result }), how));
    if (cause) run.failed(plan, cause.type, cause.message);
  });
  const steps = input.localSteps ? local : legacy;
  await run.recordRows((rows) => steps.recordAttachments(event, rows));
  return run.finish({ traceId: event.traceId, eventId: xactEventId(event.traceId) }, { plans });
}

/**
 * What runs before the transfers, in the shape the run was started with: every plan, the plans left to transfer (or
 * to fail, when refused) and how. The common event since the one local step: one local activity records it and
 * transfers what it can (recorded already); what it handed over (its local attempt failed) is left for the regular
 * activity, with its retries, whose rows are recorded in a second step. Before it: the event row and plans only,
 * every transfer left, local first.
 */
async function firstSteps(
  input: IngestXactInput,
  run: IngestRun<Row>,
): Promise<{ plans: AttachmentPlan[]; left: AttachmentPlan[]; how: 'local first' | 'regular' }> {
  if (input.localSteps && !input.claimCheck && patched(ONE_LOCAL_STEP_PATCH)) {
    const done = await step('delta', () =>
      local.ingestXactLocally(input.event, input.rawJson, {
        maxParallel: input.maxParallelAttachments,
        transferTimeoutMs: LOCAL_TRANSFER_TIMEOUT_MS,
      }),
    );
    const planOf = new Map(done.plans.map((p) => [p.mediaId, p]));
    for (const result of done.transferred) run.recorded(planOf.get(result.mediaId)!, result);
    const handedOver = new Set(done.handedOver.map((h) => h.mediaId));
    const left = done.plans.filter((p) => p.problem || handedOver.has(p.mediaId));
    return { plans: done.plans, left, how: 'regular' };
  }
  const plans = await recordEventAndPlan(input);
  return { plans, left: plans, how: 'local first' };
}

/** The event's row and its attachments' plans, in the shape the run was started with. */
async function recordEventAndPlan(input: IngestXactInput): Promise<AttachmentPlan[]> {
  const { event, claimCheck } = input;
  if (claimCheck) return step('delta', () => local.recordClaimCheckedEventAndPlan(claimCheck));
  if (input.localSteps) return step('delta', () => local.recordEventAndPlan(event, input.rawJson));
  await step('delta', () => legacy.recordEvent(event, input.rawJson));
  return step('validate', () => legacy.planAttachments(event));
}
