import { ApplicationFailure } from '@temporalio/activity';
import { CircuitOpenError } from '../adapters/circuit-breaker';
import { DeltaSchemaError } from '../adapters/delta/schema';
import { DownloadError } from '../adapters/http/download-error';
import { ERROR_TYPES, NON_RETRYABLE_ERROR_TYPES, type ErrorType } from '../shared/errors';

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
