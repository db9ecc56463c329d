import { mapBounded, within } from '../shared/bounded';
import type { AttachmentPlan, LocalIngestResult, LocalHandOver, TransferResult } from '../shared/pipeline-types';
import type { XactEvent } from '../shared/xact-event';
import type { RecordResult } from './deps';

/** The parts the one local step is made of: the short steps and the local transfer attempt. */
export interface LocalIngestParts {
  recordEventAndPlan(event: XactEvent, rawJson: string): Promise<AttachmentPlan[]>;
  /** One local attempt, which gives up by itself after `timeoutMs`. */
  transferLocally(plan: AttachmentPlan, timeoutMs: number): Promise<TransferResult>;
  recordAttachments(event: XactEvent, items: { plan: AttachmentPlan; result: TransferResult }[]): Promise<RecordResult>;
}

/** How the workflow bounds the local step's transfers. */
export interface LocalIngestLimits {
  /** Attachments transferred at once (MAX_PARALLEL_ATTACHMENTS). */
  readonly maxParallel: number;
  /** Time bound of each local transfer attempt. */
  readonly transferTimeoutMs: number;
}

/**
 * The common xact event in one local activity (issue 32): its event row and plans, a local attempt at each planned
 * attachment, and the inventory rows of those transferred. An attempt that fails (too large, an HTTP error, past its
 * time bound) is not an error of the step: it comes back as handed over, with its error, for the workflow to give
 * to the regular activity. A failure to record rows fails the step, which its retry policy runs again in full: the
 * event row, the files (same blob paths) and the inventory rows (same keys) stay exactly once.
 */
export function createLocalIngest(parts: LocalIngestParts) {
  return {
    async ingestXactLocally(event: XactEvent, rawJson: string, limits: LocalIngestLimits): Promise<LocalIngestResult> {
      const plans = await parts.recordEventAndPlan(event, rawJson);
      const outcomes = await mapBounded(
        plans.filter((p) => !p.problem),
        limits.maxParallel,
        async (plan): Promise<{ plan: AttachmentPlan; result: TransferResult } | LocalHandOver> => {
          try {
            return { plan, result: await bounded(parts.transferLocally(plan, limits.transferTimeoutMs), limits) };
          } catch (err) {
            return handOver(plan, err);
          }
        },
      );
      const done = outcomes.filter((o): o is { plan: AttachmentPlan; result: TransferResult } => 'result' in o);
      if (done.length > 0) await parts.recordAttachments(event, done);
      return {
        plans,
        transferred: done.map((d) => d.result),
        handedOver: outcomes.filter((o): o is LocalHandOver => !('result' in o)),
      };
    },
  };
}

/** Past its time bound an attempt is handed over even if it has not given up yet (the same blob path is rewritten). */
function bounded<T>(attempt: Promise<T>, limits: LocalIngestLimits): Promise<T> {
  // A little after the attempt's own bound, so that its own timeout error is the one reported.
  return within(attempt, limits.transferTimeoutMs + 1_000, () => {
    throw new LocalAttemptTimeout(limits.transferTimeoutMs);
  });
}

class LocalAttemptTimeout extends Error {
  readonly type = 'ActivityTimeout';
  constructor(ms: number) {
    super(`the local attempt timed out (${ms} ms)`);
  }
}

function handOver(plan: AttachmentPlan, err: unknown): LocalHandOver {
  const e = err as { type?: unknown; message?: unknown; details?: unknown[] } | null;
  const status = (e?.details?.[0] as { httpStatus?: unknown } | undefined)?.httpStatus;
  return {
    mediaId: plan.mediaId,
    displayUrl: plan.displayUrl,
    type: typeof e?.type === 'string' ? e.type : 'Unknown',
    message: typeof e?.message === 'string' ? e.message : String(err),
    httpStatus: typeof status === 'number' ? status : null,
  };
}
