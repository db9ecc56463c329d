import type { ErrorCategory, FailedStage } from './errors';
import type { ClaimxEvent } from './claimx-event';
import type { XactEvent } from './xact-event';

/** Where a Kafka message came from: kept with every run and DLQ entry. */
export interface KafkaSource {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Broker timestamp of the message, ms since epoch as a string (Kafka's own representation). */
  readonly timestamp: string;
}

/** Retry schedule of transient attachment failures (default: the original 5/10/20/40-minute ladder). */
export interface RetrySchedule {
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maximumIntervalMs: number;
  readonly maximumAttempts: number;
}

/**
 * A large event kept out of Temporal (claim check): the message's bytes are stored in the lakehouse at `path`, and
 * the run's input holds this reference instead of the event. `sha256` and `bytes` let the loader refuse anything
 * but the exact message.
 */
export interface ClaimCheck {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Input of ingestXactEvent, built by the bridge. */
export interface IngestXactInput {
  /**
   * The decoded event. With `claimCheck`, only its headline: type, time, trace id and `data.assignmentId`
   * (what the workflow and the inventory rows need); the whole event is read from the claim check.
   */
  readonly event: XactEvent;
  /** The message exactly as decoded (the original row), kept for the Delta raw_json column and the DLQ view. */
  readonly rawJson: string;
  /** Set when the message was too large for a workflow input: `rawJson` is then empty. */
  readonly claimCheck?: ClaimCheck;
  readonly source: KafkaSource;
  readonly retry: RetrySchedule;
  readonly maxParallelAttachments: number;
  /** Time limit of one transfer attempt. */
  readonly transferTimeoutMs: number;
  /**
   * True in every input built since the short steps became local activities. Absent in runs started before: they
   * keep running (and replaying) the shape they were recorded with, four regular activities.
   */
  readonly localSteps?: boolean;
}

/** Input of ingestClaimxEvent, built by the bridge. */
export interface IngestClaimxInput {
  readonly event: ClaimxEvent;
  readonly source: KafkaSource;
  /** Retry schedule of the media downloads (as xact's attachments). */
  readonly retry: RetrySchedule;
  /** Time limit of one transfer attempt. */
  readonly transferTimeoutMs: number;
}

/** A claimx media file to download: what the enrichment found (the link as the API gave it). */
export interface ClaimxMediaFile {
  readonly mediaId: string;
  readonly projectId: string;
  readonly fileName: string | null;
  readonly fileType: string | null;
  readonly downloadUrl: string;
}

/** Input of quarantineInvalidMessage: a message that is not a valid event becomes a visible failed run. */
export interface InvalidMessageInput {
  readonly reason: string;
  readonly source: KafkaSource;
  /** The message key as UTF-8 text; when `keyCut` is set, only its first characters. */
  readonly key: string | null;
  /** Set when the key was too long to keep inline: its whole size and sha256, and where its bytes are stored. */
  readonly keyCut?: { readonly bytes: number; readonly sha256: string; readonly storedAt?: string };
  /** The raw value as UTF-8 text, or base64 when it is not valid UTF-8. */
  readonly payload: string;
  readonly payloadEncoding: 'utf8' | 'base64';
  readonly payloadBytes: number;
  /** Set when the payload was too large for a workflow input: where the full bytes were stored. */
  readonly storedAt?: string;
}

/** One attachment as planned: ids, destination and, if it cannot be transferred, why. */
export interface AttachmentPlan {
  readonly url: string;
  /** The URL with credentials redacted, for summaries, logs and the DLQ. */
  readonly displayUrl: string;
  readonly mediaId: string;
  readonly blobPath: string;
  readonly fileType: string;
  readonly ext: string;
  readonly problem?: { readonly type: string; readonly message: string };
  /** Folder `blobPath` is relative to (absent: the xact files prefix). */
  readonly filesPrefix?: string;
}

export interface TransferResult {
  readonly mediaId: string;
  readonly blobPath: string;
  readonly bytes: number;
  readonly contentType: string | null;
  readonly downloadedAt: string;
}

/** A local transfer attempt that failed inside the one local step: the regular activity transfers it. */
export interface LocalHandOver {
  readonly mediaId: string;
  readonly displayUrl: string;
  /** The attempt's error type (LocalTransferTooLarge, HttpTransient, ActivityTimeout, ...) and message. */
  readonly type: string;
  readonly message: string;
  readonly httpStatus: number | null;
}

/** What the one local step (ingestXactLocally) did: every plan, the transferred (rows recorded), the handed over. */
export interface LocalIngestResult {
  readonly plans: AttachmentPlan[];
  readonly transferred: TransferResult[];
  readonly handedOver: LocalHandOver[];
}

export interface AttachmentOutcome {
  readonly mediaId: string;
  readonly displayUrl: string;
  readonly blobPath: string;
  readonly status: 'transferred' | 'failed';
  readonly bytes?: number;
  readonly errorType?: string;
  readonly errorCategory?: ErrorCategory;
  readonly failedStage?: FailedStage;
  readonly message?: string;
  readonly attempts?: number;
}

export interface IngestSummary {
  readonly traceId: string;
  readonly eventId: string;
  readonly attachments: readonly AttachmentOutcome[];
}
