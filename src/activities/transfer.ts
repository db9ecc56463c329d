import { pipeline, Transform } from 'node:stream';
import { Context } from '@temporalio/activity';
import { DownloadError } from '../adapters/http/download-error';
import { classify } from '../shared/errors';
import type { AttachmentPlan, RetrySchedule, TransferResult } from '../shared/pipeline-types';
import type { ActivityDeps } from './deps';
import { toFailure, withLadderDelay } from './failures';

const LIVENESS_HEARTBEAT_MS = 5_000;

/** The transferAttachment activity: one attachment, streamed from its URL into the object store. */
export function createTransfer(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  /** Streams one attachment from its URL straight into the object store, heartbeating the bytes moved. */
  return async function transferAttachment(plan: AttachmentPlan, retry?: RetrySchedule): Promise<TransferResult> {
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
  };

  /** Streams one attachment from its URL straight into the object store, heartbeating the bytes moved. */
  async function transfer(plan: AttachmentPlan): Promise<TransferResult> {
    const ctx = Context.current();
    let bytes = 0;
    // Heartbeats also while no byte moves (a slow source): the heartbeat timeout then means "worker lost" only.
    const alive = setInterval(() => ctx.heartbeat({ bytes }), LIVENESS_HEARTBEAT_MS);
    try {
      const signal = AbortSignal.any([ctx.cancellationSignal, AbortSignal.timeout(deps.transferTimeoutMs)]);
      let opened;
      try {
        const open = () => deps.downloader.open(plan.url, signal);
        const breaker = deps.downloadBreaker?.(new URL(plan.url).host);
        opened = await (breaker ? breaker.run(open) : open());
      } catch (err) {
        throw toFailure(err, 'download');
      }
      // A Transform (not a 'data' listener): nothing flows until the store reads, so no byte is lost.
      const counted = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          ctx.heartbeat({ bytes });
          done(null, chunk);
        },
      });
      pipeline(opened.body, counted, () => undefined);
      try {
        await deps.store.put(`${plan.filesPrefix ?? deps.filesPrefix}/${plan.blobPath}`, counted);
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
    } finally {
      clearInterval(alive);
    }
  }
}
