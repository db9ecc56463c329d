/**
 * The one error vocabulary: ApplicationFailure types thrown by activities and workflows, the category each maps
 * to (for retry policy, `dlq list --category`, the ErrorCategory search attribute and metric labels) and the
 * stage where it happens (FailedStage).
 */
export const ERROR_CATEGORIES = ['permanent', 'transient', 'auth', 'invalid_event', 'circuit_open', 'unknown'] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export const FAILED_STAGES = ['decode', 'validate', 'enrich', 'download', 'upload', 'delta'] as const;
export type FailedStage = (typeof FAILED_STAGES)[number];

export const ERROR_TYPES = {
  /** The Kafka message is not a valid xact event (not JSON, missing traceId, ...). */
  InvalidEvent: { category: 'invalid_event', stage: 'decode' },
  /** The event is valid JSON but cannot be processed as it is (e.g. attachments without assignmentId). */
  InvalidEventContent: { category: 'invalid_event', stage: 'validate' },
  /** A large event's claim check is missing or does not hold the bytes the bridge stored (lakehouse damaged). */
  ClaimCheckUnreadable: { category: 'permanent', stage: 'decode' },
  UrlNotAllowed: { category: 'permanent', stage: 'validate' },
  PrivateAddress: { category: 'permanent', stage: 'validate' },
  PresignedUrlExpired: { category: 'permanent', stage: 'validate' },
  FileTypeNotAllowed: { category: 'permanent', stage: 'validate' },
  ContentTypeNotAllowed: { category: 'permanent', stage: 'download' },
  TooLarge: { category: 'permanent', stage: 'download' },
  TooManyRedirects: { category: 'permanent', stage: 'download' },
  HttpPermanent: { category: 'permanent', stage: 'download' },
  HttpAuth: { category: 'auth', stage: 'download' },
  HttpTransient: { category: 'transient', stage: 'download' },
  HttpUnexpected: { category: 'unknown', stage: 'download' },
  NetworkTransient: { category: 'transient', stage: 'download' },
  /**
   * An activity attempt Temporal timed out (no heartbeat in time, start-to-close passed: its worker was lost or
   * overloaded); retryable. Its stage is the step that ran it (`download` for a transfer).
   */
  ActivityTimeout: { category: 'transient', stage: 'download' },
  StoragePermanent: { category: 'permanent', stage: 'upload' },
  StorageTransient: { category: 'transient', stage: 'upload' },
  DeltaSchema: { category: 'permanent', stage: 'delta' },
  DeltaTransient: { category: 'transient', stage: 'delta' },
  /** ClaimX API answers (claimx enrichment and link refresh): 401; 403/404/other 4xx; 429/5xx/timeouts. */
  ClaimxApiAuth: { category: 'auth', stage: 'enrich' },
  ClaimxApiPermanent: { category: 'permanent', stage: 'enrich' },
  ClaimxApiTransient: { category: 'transient', stage: 'enrich' },
  /** The API's answer lacks what the event names (e.g. its media id): a replay after a fix may succeed. */
  ClaimxEnrichFailed: { category: 'permanent', stage: 'enrich' },
  /** The claimx domain is not configured on this worker (CLAIMX_API_URL / CLAIMX_API_TOKEN). */
  ClaimxNotConfigured: { category: 'transient', stage: 'enrich' },
  /** A circuit breaker refused the call without trying (retryable: Temporal retries after its backoff). */
  CircuitOpen: { category: 'circuit_open', stage: 'download' },
  StoreCircuitOpen: { category: 'circuit_open', stage: 'upload' },
  DeltaCircuitOpen: { category: 'circuit_open', stage: 'delta' },
  ClaimxApiCircuitOpen: { category: 'circuit_open', stage: 'enrich' },
  /**
   * The local (first) attempt of a transfer gave it up because the file is larger than TRANSFER_LOCAL_MAX_BYTES;
   * the regular activity takes it over. Never a run's outcome: only seen in the failure chain of `dlq view`.
   */
  LocalTransferTooLarge: { category: 'transient', stage: 'download' },
} as const satisfies Record<string, { category: ErrorCategory; stage: FailedStage }>;
export type ErrorType = keyof typeof ERROR_TYPES;

/** Error types Temporal must not retry: retrying cannot change the outcome. */
export const NON_RETRYABLE_ERROR_TYPES: readonly ErrorType[] = (Object.keys(ERROR_TYPES) as ErrorType[]).filter((t) =>
  ['permanent', 'invalid_event'].includes(ERROR_TYPES[t].category),
);

/** The workflow's own final failure when at least one attachment failed. */
export const ATTACHMENTS_FAILED = 'AttachmentsFailed';

export function isErrorType(t: string | undefined | null): t is ErrorType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(ERROR_TYPES, t);
}

/** Category and stage of a failure type; unknown types (bugs, SDK errors) are 'unknown'. */
export function classify(
  type: string | undefined | null,
  fallbackStage: FailedStage,
): { category: ErrorCategory; stage: FailedStage } {
  return isErrorType(type) ? ERROR_TYPES[type] : { category: 'unknown', stage: fallbackStage };
}
