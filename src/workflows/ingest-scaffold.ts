import { ApplicationFailure, setCurrentDetails } from '@temporalio/workflow';
import { ATTACHMENTS_FAILED, classify, type ErrorCategory, type FailedStage } from '../shared/errors';
import type { AttachmentOutcome, AttachmentPlan, IngestSummary, TransferResult } from '../shared/pipeline-types';
import { markFailed, regularTransfer, rootCause, step, transferStep } from './steps';

/**
 * The scaffold both domains' ingest workflows share. A domain's workflow records its event and finds its attachments
 * (its own steps), then moves each through `transfer` in its own order and way (bounded parallel, link refreshes);
 * the scaffold keeps each attachment's outcome, records the transferred ones' inventory rows in one step, and fails
 * the run when any attachment failed: after what succeeded is recorded, naming each failed attachment, with the first
 * failure's category and stage as its search attributes, so the event lands in the DLQ.
 */
export class IngestRun<Row> {
  /** Every attachment's outcome, in the order they ended. */
  private readonly outcomes: AttachmentOutcome[] = [];
  /** The failed ones among them (category and stage set), in the order they ended. */
  private readonly failures: FailedOutcome[] = [];
  /** The inventory rows of the transferred attachments, in the order they ended. */
  private readonly rows: Row[] = [];
  private readonly transferOne: (plan: AttachmentPlan) => Promise<TransferResult>;
  private readonly regularOne: (plan: AttachmentPlan) => Promise<TransferResult>;

  constructor(
    input: Parameters<typeof regularTransfer>[0],
    private readonly words: { readonly item: string; readonly done: string },
  ) {
    this.regularOne = regularTransfer(input);
    this.transferOne = transferStep(this.regularOne);
  }

  /**
   * Transfers one attachment (local first, or `regular` only: one the local step handed over). Transferred: its
   * outcome and inventory row (`rowOf`) are kept and null is returned. Failed: the failure's root cause is returned
   * for the domain to decide (`failed` or another try); nothing is kept.
   */
  async transfer(
    plan: AttachmentPlan,
    rowOf: (result: TransferResult) => Row,
    how: 'local first' | 'regular' = 'local first',
  ): Promise<ReturnType<typeof rootCause> | null> {
    try {
      const result = await (how === 'regular' ? this.regularOne : this.transferOne)(plan);
      this.rows.push(rowOf(result));
      this.recorded(plan, result);
      return null;
    } catch (err) {
      return rootCause(err);
    }
  }

  /** An attachment transferred whose inventory row is recorded already (by the one local step), or kept to be. */
  recorded(plan: AttachmentPlan, result: TransferResult): void {
    this.outcomes.push({
      mediaId: plan.mediaId,
      displayUrl: plan.displayUrl,
      blobPath: plan.blobPath,
      status: 'transferred',
      bytes: result.bytes,
    });
  }

  /** An attachment that failed for good (a refused plan, a failed transfer). */
  failed(plan: AttachmentPlan, type: string, message: string): void {
    const outcome = failedOutcome(plan, type, message);
    this.outcomes.push(outcome);
    this.failures.push(outcome);
  }

  /** Records the inventory rows of the transferred attachments, if any, in one step. */
  async recordRows(record: (rows: Row[]) => Promise<unknown>): Promise<void> {
    if (this.rows.length > 0) await step('delta', () => record(this.rows));
  }

  /**
   * The run's end: its details (`heading` above the attachment lines), then its summary, or, if any attachment failed,
   * the failure the DLQ entry shows. The details and summary list the outcomes in the order of `plans` (every plan
   * ends in one outcome), or as they ended.
   */
  finish(
    ids: { traceId: string; eventId: string },
    show: { heading?: string; plans?: readonly AttachmentPlan[] } = {},
  ): IngestSummary {
    const { traceId, eventId } = ids;
    const shown = show.plans?.map((p) => this.outcomes.find((o) => o.mediaId === p.mediaId)!) ?? this.outcomes;
    const details = detailsText(shown);
    setCurrentDetails(show.heading === undefined ? details : `${show.heading}\n${details}`);
    const failures = this.failures;
    const [first] = failures;
    if (first) {
      markFailed(first.errorCategory, first.failedStage);
      const lines = failures.map((f) => `${f.displayUrl} -> ${f.errorType}: ${f.message}`);
      const { item, done } = this.words;
      throw ApplicationFailure.create({
        type: ATTACHMENTS_FAILED,
        nonRetryable: true,
        message: `${failures.length} of ${shown.length} ${item}(s) failed (${shown.length - failures.length} ${done} and recorded):\n${lines.join('\n')}`,
        details: [{ traceId, eventId, outcomes: shown }],
      });
    }
    return { traceId, eventId, attachments: shown };
  }
}

type FailedOutcome = AttachmentOutcome & { readonly errorCategory: ErrorCategory; readonly failedStage: FailedStage };

function failedOutcome(plan: AttachmentPlan, type: string, message: string): FailedOutcome {
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

function detailsText(outcomes: readonly AttachmentOutcome[]): string {
  if (outcomes.length === 0) return 'event recorded; no attachments';
  const rows = outcomes.map((o) =>
    o.status === 'transferred'
      ? `- ok ${o.blobPath} (${o.bytes} bytes)`
      : `- FAILED ${o.displayUrl}: ${o.errorType} ${o.message}`,
  );
  return `attachments:\n${rows.join('\n')}`;
}
