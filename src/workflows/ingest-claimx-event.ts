import { ApplicationFailure, proxyActivities, proxyLocalActivities, setCurrentDetails } from '@temporalio/workflow';
import { isExpiredLinkFailure, MAX_LINK_REFRESHES } from '../shared/claimx-event';
import { ATTACHMENTS_FAILED } from '../shared/errors';
import { CLAIMX_DOMAIN } from '../shared/ids';
import type {
  AttachmentOutcome,
  AttachmentPlan,
  ClaimxMediaFile,
  IngestClaimxInput,
  IngestSummary,
  TransferResult,
} from '../shared/pipeline-types';
import type { createActivities } from '../activities';
import { reportingOutcome } from './sinks';
import { detailsText, failed, markFailed, rootCause, SHORT_STEP_RETRY, step, transferStep } from './steps';

type Activities = ReturnType<typeof createActivities>;

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/** The API calls: their transient failures (429, 5xx, timeouts, an open breaker) retried for about an hour. */
const api = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/**
 * One claimx event (spec §1.2): record its claimx_events row, enrich it through the ClaimX API into the entity
 * tables (upserted by key: a redelivery changes nothing), download each media file it names to the lakehouse
 * (refreshing an expired link through the API, at most twice, each refresh visible in the history), then record one
 * claimx_attachments row per stored file. An event type without a handler is recorded and completes.
 */
export async function ingestClaimxEvent(input: IngestClaimxInput): Promise<IngestSummary> {
  return reportingOutcome(CLAIMX_DOMAIN, input.event.ingestedAt, () => ingest(input));
}

async function ingest(input: IngestClaimxInput): Promise<IngestSummary> {
  const { event } = input;
  const transfer = transferStep(input);
  await step('delta', () => local.recordClaimxEvent(event));
  const enriched = await step('enrich', () => api.enrichClaimxEvent(event));

  const outcomes: AttachmentOutcome[] = [];
  const stored: { file: ClaimxMediaFile; result: TransferResult }[] = [];
  for (const found of enriched.media) {
    let { file, plan } = await step('enrich', () => api.planClaimxMedia(found));
    for (let refreshes = 0; ; refreshes++) {
      try {
        const result = await transfer(plan);
        stored.push({ file, result });
        outcomes.push(transferred(plan, result));
        break;
      } catch (err) {
        const cause = rootCause(err);
        if (isExpiredLinkFailure(cause) && refreshes < MAX_LINK_REFRESHES) {
          ({ file, plan } = await step('enrich', () => api.refreshClaimxMedia(file)));
          continue;
        }
        const note = refreshes > 0 ? ` (after ${refreshes} link refresh(es))` : '';
        outcomes.push(failed(plan, cause.type, `${cause.message}${note}`));
        break;
      }
    }
  }
  if (stored.length > 0) await step('delta', () => local.recordClaimxAttachments(event, stored));

  setCurrentDetails(`handler: ${enriched.handler ?? 'none (recorded only)'}\n${detailsText(outcomes)}`);
  const failures = outcomes.filter((o) => o.status === 'failed');
  if (failures.length > 0) {
    markFailed(failures[0]!.errorCategory!, failures[0]!.failedStage!);
    const lines = failures.map((f) => `${f.displayUrl} -> ${f.errorType}: ${f.message}`);
    throw ApplicationFailure.create({
      type: ATTACHMENTS_FAILED,
      nonRetryable: true,
      message: `${failures.length} of ${outcomes.length} media file(s) failed (${stored.length} stored and recorded):\n${lines.join('\n')}`,
      details: [{ traceId: event.eventId, eventId: event.eventId, outcomes }],
    });
  }
  return { traceId: event.eventId, eventId: event.eventId, attachments: outcomes };
}

function transferred(plan: AttachmentPlan, result: TransferResult): AttachmentOutcome {
  return {
    mediaId: plan.mediaId,
    displayUrl: plan.displayUrl,
    blobPath: plan.blobPath,
    status: 'transferred',
    bytes: result.bytes,
  };
}
