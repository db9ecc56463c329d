import { pipeline, Transform } from 'node:stream';
import { Context } from '@temporalio/activity';
import type { CircuitBreaker } from '../adapters/circuit-breaker';
import type { GroupCommitter } from '../adapters/delta/group-commit';
import type { WorkerMetrics } from '../observability/worker-metrics';
import { classify } from '../shared/errors';
import type { Downloader } from '../adapters/http/downloader';
import { DownloadError } from '../adapters/http/download-error';
import { checkUrl, type UrlPolicy } from '../adapters/http/url-policy';
import type { ObjectStore } from '../adapters/storage/object-store';
import { disambiguate, generateBlobPath } from '../shared/blob-path';
import type { WorkerHealth } from '../shared/health';
import type { AttachmentPlan, ClaimCheck, RetrySchedule, TransferResult } from '../shared/pipeline-types';
import { sanitizeUrl } from '../shared/urls';
import { xactMediaId } from '../shared/uuid5';
import { attachmentUrls, dataString, type XactEvent } from '../shared/xact-event';
import { loadClaimCheck } from './claim-check';
import { toFailure, withLadderDelay } from './failures';
import { xactAttachmentRow, xactEventRow } from './rows';

const LIVENESS_HEARTBEAT_MS = 5_000;

export interface ActivityDeps {
  readonly workerId: string;
  readonly taskQueue: string;
  readonly store: ObjectStore;
  readonly filesPrefix: string;
  readonly eventsTable: RowWriter;
  readonly attachmentsTable: RowWriter;
  readonly downloader: Downloader;
  readonly urlPolicy: UrlPolicy;
  readonly transferTimeoutMs: number;
  readonly now?: () => Date;
  /** The circuit breaker of one download host (absent: no breaker). */
  readonly downloadBreaker?: (host: string) => CircuitBreaker;
  readonly metrics?: WorkerMetrics;
}

/** Where activities append rows: a GroupCommitter, possibly behind the Delta writer's circuit breaker. */
export type RowWriter = Pick<GroupCommitter, 'append' | 'flush'>;

export interface RecordResult {
  readonly written: number;
  readonly duplicates: number;
}

/** Activities are built from their dependencies, so tests and the worker wire in different adapters. */
export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async describeWorker(): Promise<WorkerHealth> {
      return { workerId: deps.workerId, pid: process.pid, taskQueue: deps.taskQueue, checkedAt: now().toISOString() };
    },

    /** Writes the event's xact_events row (exactly once per event_id, also across retries and replays). */
    async recordEvent(event: XactEvent, rawJson: string): Promise<RecordResult> {
      return appendEventRow(event, rawJson);
    },

    /** Ids, destinations and static checks of every attachment; computed now, so a reset uses current rules. */
    async planAttachments(event: XactEvent): Promise<AttachmentPlan[]> {
      return planAttachments(event, deps.urlPolicy, now());
    },

    /** recordEvent and planAttachments in one step, run as a local activity inside the first workflow task. */
    async recordEventAndPlan(event: XactEvent, rawJson: string): Promise<AttachmentPlan[]> {
      const plans = planAttachments(event, deps.urlPolicy, now());
      await appendEventRow(event, rawJson);
      return plans;
    },

    /**
     * recordEventAndPlan for an event too large for a workflow input: the whole message is read from its claim
     * check (the run's history never holds it) and only the plans go back to the workflow.
     */
    async recordClaimCheckedEventAndPlan(ref: ClaimCheck): Promise<AttachmentPlan[]> {
      const { event, rawJson } = await loadClaimCheck(deps.store, ref);
      const plans = planAttachments(event, deps.urlPolicy, now());
      await appendEventRow(event, rawJson);
      return plans;
    },

    /** Streams one attachment from its URL straight into the object store, heartbeating the bytes moved. */
    async transferAttachment(plan: AttachmentPlan, retry?: RetrySchedule): Promise<TransferResult> {
      const t0 = performance.now();
      try {
        const result = await transfer(plan);
        deps.metrics?.download((performance.now() - t0) / 1000);
        return result;
      } catch (err) {
        const type = (err as { type?: string })?.type;
        const { category } = classify(type, 'download');
        deps.metrics?.download((performance.now() - t0) / 1000, category);
        // Context.log adds workflow and activity ids; the URL is shown without its (signed) query string.
        Context.current().log.warn('attachment transfer failed', {
          url: plan.displayUrl,
          media_id: plan.mediaId,
          error_type: type ?? 'Unknown',
          error_category: category,
          error: err instanceof Error ? err.message : String(err),
        });
        // Runs started before the ladder moved here (no `retry` argument) keep the policy's own delays.
        throw retry ? withLadderDelay(err, retry, Context.current().info.attempt) : err;
      }
    },

    /** Writes one xact_attachments row per transferred attachment (exactly once per media_id). */
    async recordAttachments(
      event: XactEvent,
      items: { plan: AttachmentPlan; result: TransferResult }[],
    ): Promise<RecordResult> {
      try {
        return await deps.attachmentsTable.append(
          items.map(({ plan, result }) => xactAttachmentRow(event, plan, result, now())),
        );
      } catch (err) {
        throw toFailure(err, 'delta');
      }
    },
  };

  /** The event's xact_events row (exactly once per event_id); a failure in our error vocabulary. */
  async function appendEventRow(event: XactEvent, rawJson: string): Promise<RecordResult> {
    try {
      return await deps.eventsTable.append([xactEventRow(event, rawJson, now())]);
    } catch (err) {
      throw toFailure(err, 'delta');
    }
  }

  /** Streams one attachment from its URL straight into the object store, heartbeating the bytes moved. */
  async function transfer(plan: AttachmentPlan): Promise<TransferResult> {
    const ctx = Context.current();
    let bytes = 0;
    // Heartbeats also while no byte moves (a slow source): the heartbeat timeout then means "worker lost" only.
    const alive = setInterval(() => ctx.heartbeat({ bytes }), LIVENESS_HEARTBEAT_MS);
    try {
      return await transferBody(plan, ctx, (n) => (bytes = n));
    } finally {
      clearInterval(alive);
    }
  }

  async function transferBody(
    plan: AttachmentPlan,
    ctx: Context,
    progress: (bytes: number) => void,
  ): Promise<TransferResult> {
    const signal = AbortSignal.any([ctx.cancellationSignal, AbortSignal.timeout(deps.transferTimeoutMs)]);
    let opened;
    try {
      const open = () => deps.downloader.open(plan.url, signal);
      const breaker = deps.downloadBreaker?.(new URL(plan.url).host);
      opened = await (breaker ? breaker.run(open) : open());
    } catch (err) {
      throw toFailure(err, 'download');
    }
    let bytes = 0;
    // A Transform (not a 'data' listener): nothing flows until the store reads, so no byte is lost.
    const counted = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        progress(bytes);
        ctx.heartbeat({ bytes });
        done(null, chunk);
      },
    });
    pipeline(opened.body, counted, () => undefined);
    try {
      await deps.store.put(`${deps.filesPrefix}/${plan.blobPath}`, counted);
    } catch (err) {
      opened.body.destroy();
      throw toFailure(err, err instanceof DownloadError ? 'download' : 'upload');
    }
    return {
      mediaId: plan.mediaId,
      blobPath: plan.blobPath,
      bytes,
      contentType: opened.contentType,
      downloadedAt: now().toISOString(),
    };
  }
}

export function planAttachments(event: XactEvent, policy: UrlPolicy, at: Date): AttachmentPlan[] {
  const assignmentId = dataString(event, 'assignmentId');
  const plans = attachmentUrls(event).map((url) => {
    const mediaId = xactMediaId(event.traceId, url);
    let problem: AttachmentPlan['problem'];
    let path = { blobPath: '', fileType: 'UNKNOWN', ext: '' };
    try {
      path = generateBlobPath({
        statusSubtype: event.statusSubtype,
        traceId: event.traceId,
        assignmentId: assignmentId ?? '',
        url,
        estimateVersion: dataString(event, 'estimateVersion'),
      });
      checkUrl(url, policy, at);
      if (!assignmentId)
        problem = { type: 'InvalidEventContent', message: 'the event has attachments but no data.assignmentId' };
    } catch (err) {
      const type = err instanceof DownloadError ? err.type : 'UrlNotAllowed';
      problem = { type, message: err instanceof Error ? err.message : String(err) };
    }
    return { url, displayUrl: sanitizeUrl(url), mediaId, ...path, ...(problem ? { problem } : {}) };
  });
  return disambiguate(plans);
}
