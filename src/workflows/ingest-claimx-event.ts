import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { isExpiredLinkFailure, MAX_LINK_REFRESHES } from '../shared/claimx-event';
import { CLAIMX_DOMAIN } from '../shared/ids';
import type { ClaimxMediaFile, IngestClaimxInput, IngestSummary, TransferResult } from '../shared/pipeline-types';
import type { createActivities } from '../activities';
import { IngestRun } from './ingest-scaffold';
import { reportingOutcome } from './sinks';
import { SHORT_STEP_RETRY, step } from './steps';

type Activities = ReturnType<typeof createActivities>;

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/** The API calls: their transient failures (429, 5xx, timeouts, an open breaker) retried for about an hour. */
const api = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: SHORT_STEP_RETRY });

/**
 * One claimx event (spec §1.2): record its claimx_events row, enrich it through the ClaimX API into the entity
 * tables (upserted by key: a redelivery changes nothing), download each media file it names to the lakehouse
 * (refreshing an expired link through the API, at most twice, each refresh visible in the history), then record one
 * claimx_attachments row per stored file. An event type without a handler is recorded and completes. Failed files
 * fail the run as xact's failed attachments do (./ingest-scaffold.ts).
 */
export async function ingestClaimxEvent(input: IngestClaimxInput): Promise<IngestSummary> {
  return reportingOutcome(CLAIMX_DOMAIN, input.event.ingestedAt, () => ingest(input));
}

async function ingest(input: IngestClaimxInput): Promise<IngestSummary> {
  const { event } = input;
  const run = new IngestRun<{ file: ClaimxMediaFile; result: TransferResult }>(input, {
    item: 'media file',
    done: 'stored',
  });
  await step('delta', () => local.recordClaimxEvent(event));
  const enriched = await step('enrich', () => api.enrichClaimxEvent(event));

  // One file at a time: an expired link is refreshed (a new plan) and tried again, at most MAX_LINK_REFRESHES times.
  for (const found of enriched.media) {
    let { file, plan } = await step('enrich', () => api.planClaimxMedia(found));
    for (let refreshes = 0; ; refreshes++) {
      const cause = await run.transfer(plan, (result) => ({ file, result }));
      if (!cause) break;
      if (isExpiredLinkFailure(cause) && refreshes < MAX_LINK_REFRESHES) {
        ({ file, plan } = await step('enrich', () => api.refreshClaimxMedia(file)));
        continue;
      }
      const note = refreshes > 0 ? ` (after ${refreshes} link refresh(es))` : '';
      run.failed(plan, cause.type, `${cause.message}${note}`);
      break;
    }
  }
  await run.recordRows((rows) => local.recordClaimxAttachments(event, rows));
  return run.finish(
    { traceId: event.eventId, eventId: event.eventId },
    { heading: `handler: ${enriched.handler ?? 'none (recorded only)'}` },
  );
}
