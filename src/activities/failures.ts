import { ApplicationFailure } from '@temporalio/activity';
import { DeltaSchemaError } from '@kafka-pipeline/delta-lake';
import { CircuitOpenError } from '../resilience/circuit-breaker';
import { DownloadError } from '../adapters/http/download-error';
import { ERROR_TYPES, NON_RETRYABLE_ERROR_TYPES, type ErrorType } from '../shared/errors';
import type { RetrySchedule } from '../shared/pipeline-types';

const PERMANENT_STORAGE_CODES = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'ENAMETOOLONG']);

export function failure(
  type: ErrorType,
  message: string,
  details: Record<string, unknown> = {},
  nextRetryDelayMs?: number,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: NON_RETRYABLE_ERROR_TYPES.includes(type),
    details: [{ ...ERROR_TYPES[type], ...details }],
    ...(nextRetryDelayMs !== undefined ? { nextRetryDelay: nextRetryDelayMs } : {}),
  });
}

/** Turns what an adapter threw into an ApplicationFailure of our vocabulary (unknown errors pass through). */
export function toFailure(err: unknown, stage: 'download' | 'upload' | 'delta'): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof CircuitOpenError) {
    const type = stage === 'download' ? 'CircuitOpen' : stage === 'upload' ? 'StoreCircuitOpen' : 'DeltaCircuitOpen';
    // Retry when the breaker lets a probe through, not sooner: an attempt spent on an open breaker is wasted.
    return failure(type, err.message, { breaker: err.component }, Math.max(1000, err.retryAfterMs));
  }
  if (err instanceof DownloadError) return failure(err.type, err.message, { httpStatus: err.httpStatus ?? null });
  if (err instanceof DeltaSchemaError) return failure('DeltaSchema', err.message);
  const code = (err as NodeJS.ErrnoException)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (stage === 'upload' && code) {
    return failure(
      PERMANENT_STORAGE_CODES.has(code) ? 'StoragePermanent' : 'StorageTransient',
      `writing the file failed: ${message}`,
    );
  }
  if (stage === 'delta') return failure('DeltaTransient', `Delta write failed: ${message}`);
  return err;
}

/**
 * The delay before the next attempt of a transfer that failed on its own (attempt is 1-based): the configured
 * ladder (RETRY_INITIAL_INTERVAL_S × RETRY_BACKOFF^(attempt-1), at most RETRY_MAX_INTERVAL_S). The retry policy's
 * own interval stays short, so a transfer lost with its worker (heartbeat timeout) is retried within seconds.
 */
export function ladderDelayMs(schedule: RetrySchedule, attempt: number): number {
  const delay = schedule.initialIntervalMs * schedule.backoffCoefficient ** Math.max(0, attempt - 1);
  return Math.min(delay, schedule.maximumIntervalMs);
}

/** `err` as an ApplicationFailure whose retry waits the ladder's delay (non-retryable ones and set delays kept). */
export function withLadderDelay(err: unknown, schedule: RetrySchedule, attempt: number): unknown {
  const delay = ladderDelayMs(schedule, attempt);
  if (err instanceof ApplicationFailure) {
    if (err.nonRetryable || (err.nextRetryDelay !== undefined && err.nextRetryDelay !== null)) return err;
    return ApplicationFailure.create({
      type: err.type ?? undefined,
      message: err.message,
      nonRetryable: false,
      details: err.details ?? undefined,
      cause: err.cause,
      nextRetryDelay: delay,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({
    type: err instanceof Error ? err.name : 'Error',
    message,
    nonRetryable: false,
    nextRetryDelay: delay,
    cause: err instanceof Error ? err : undefined,
  });
}
