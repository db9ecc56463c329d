import { pipeline, Transform } from 'node:stream';
import { Context } from '@temporalio/activity';
import { DownloadError } from '../adapters/http/download-error';
import { classify } from '../shared/errors';
import type { AttachmentPlan, RetrySchedule, TransferResult } from '../shared/pipeline-types';
import type { ActivityDeps } from './deps';
import { toFailure, withLadderDelay } from './failures';

const LIVENESS_HEARTBEAT_MS = 5_000;

/** How one transfer attempt runs: as a regular activity (heartbeats) or a local one (a byte bound, no heartbeat). */
interface AttemptMode {
  readonly heartbeat: ((bytes: number) => void) | null;
  /** A local attempt gives up (LocalTransferTooLarge) on a Content-Length or a body above this many bytes. */
  readonly maxBytes: number | null;
  /** Time limit of the attempt (a local attempt: the one the workflow gave it, well inside its workflow task). */
  readonly timeoutMs: number;
}

/**
 * The transfer activities: one attachment, streamed from its URL into the object store. `transferAttachmentLocally`
 * is the first attempt, run as a local activity inside the workflow task; any failure of it (too large, timed out,
 * an HTTP error) hands the attachment to `transferAttachment`, the regular activity with heartbeats and the retry
 * ladder. Both write the same blob path, so a file transferred twice is one file.
 */
export function createTransfer(deps: ActivityDeps, attempts = createTransferAttempts(deps)) {
  return {
    /** The regular activity: heartbeats the bytes moved; its transient failures carry the ladder's delay. */
    transferAttachment: attempts.regular,

    /** The local first attempt (runs started before the one local step): bounded in time by the workflow. */
    async transferAttachmentLocally(plan: AttachmentPlan): Promise<TransferResult> {
      const { startToCloseTimeoutMs } = Context.current().info;
      return attempts.local(plan, startToCloseTimeoutMs || deps.transferTimeoutMs);
    },
  };
}

/**
 * The two ways one transfer is attempted: `regular` (the regular activity: heartbeats, the retry ladder's delays)
 * and `local` (inside a local activity: bounded in bytes by TRANSFER_LOCAL_MAX_BYTES and in time by `timeoutMs`,
 * no heartbeat). Both run inside an activity (Context.current()).
 */
export function createTransferAttempts(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const localMaxBytes = deps.localTransferMaxBytes ?? 0;

  return {
    async regular(plan: AttachmentPlan, retry?: RetrySchedule): Promise<TransferResult> {
      const ctx = Context.current();
      try {
        return await measured(plan, {
          heartbeat: (bytes) => ctx.heartbeat({ bytes }),
          maxBytes: null,
          timeoutMs: deps.transferTimeoutMs,
        });
      } catch (err) {
        logFailure(plan, err, 'attachment transfer failed', 'warn');
        // Runs started before the ladder moved here (no `retry` argument) keep the policy's own delays.
        throw retry ? withLadderDelay(err, retry, ctx.info.attempt) : err;
      }
    },

    async local(plan: AttachmentPlan, timeoutMs: number): Promise<TransferResult> {
      try {
        // TRANSFER_LOCAL_MAX_BYTES=0: every transfer is the regular activity's, without a request made here.
        if (localMaxBytes === 0) throw toFailure(tooLargeForLocal(plan, 'any file', 0), 'download');
        return await measured(plan, {
          heartbeat: null,
          maxBytes: localMaxBytes,
          timeoutMs: Math.min(deps.transferTimeoutMs, timeoutMs),
        });
      } catch (err) {
        // Expected and self-healing (the regular activity takes over): not a warning.
        logFailure(plan, err, 'local attachment transfer handed to a regular activity', 'info');
        throw err;
      }
    },
  };

  async function measured(plan: AttachmentPlan, mode: AttemptMode): Promise<TransferResult> {
    const t0 = performance.now();
    try {
      const result = await transfer(plan, mode);
      deps.metrics?.download((performance.now() - t0) / 1000);
      return result;
    } catch (err) {
      // A local attempt declining a large file is a hand-over, not a failed download.
      const type = (err as { type?: string })?.type;
      if (type !== 'LocalTransferTooLarge') {
        deps.metrics?.download((performance.now() - t0) / 1000, classify(type, 'download').category);
      }
      throw err;
    }
  }

  function logFailure(plan: AttachmentPlan, err: unknown, what: string, level: 'info' | 'warn'): void {
    const type = (err as { type?: string })?.type;
    // Context.log adds workflow and activity ids; the URL is shown without its (signed) query string.
    Context.current().log[level](what, {
      url: plan.displayUrl,
      media_id: plan.mediaId,
      error_type: type ?? 'Unknown',
      error_category: classify(type, 'download').category,
      error: err instanceof Error ? err.message : String(err),
    });
  }

  /** Streams one attachment from its URL straight into the object store. */
  async function transfer(plan: AttachmentPlan, mode: AttemptMode): Promise<TransferResult> {
    const ctx = Context.current();
    let bytes = 0;
    const beat = mode.heartbeat;
    // Heartbeats also while no byte moves (a slow source): the heartbeat timeout then means "worker lost" only.
    const alive = beat ? setInterval(() => beat(bytes), LIVENESS_HEARTBEAT_MS) : undefined;
    try {
      const signal = AbortSignal.any([ctx.cancellationSignal, AbortSignal.timeout(mode.timeoutMs)]);
      let opened;
      try {
        const open = () => deps.downloader.open(plan.url, signal);
        const breaker = deps.downloadBreaker?.(new URL(plan.url).host);
        opened = await (breaker ? breaker.run(open) : open());
      } catch (err) {
        throw toFailure(err, 'download');
      }
      const max = mode.maxBytes;
      if (max !== null && opened.contentLength !== null && opened.contentLength > max) {
        opened.body.destroy();
        throw toFailure(tooLargeForLocal(plan, `Content-Length ${opened.contentLength}`, max), 'download');
      }
      // A Transform (not a 'data' listener): nothing flows until the store reads, so no byte is lost.
      const counted = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (max !== null && bytes > max) return done(tooLargeForLocal(plan, 'the body', max));
          beat?.(bytes);
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

/** A DownloadError, so the object store's circuit breaker does not count it when it ends a write. */
function tooLargeForLocal(plan: AttachmentPlan, what: string, max: number): DownloadError {
  return new DownloadError(
    'LocalTransferTooLarge',
    `${what} is over the local transfer's ${max}-byte bound (TRANSFER_LOCAL_MAX_BYTES): ${plan.displayUrl}`,
  );
}
