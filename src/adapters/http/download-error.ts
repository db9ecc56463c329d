import type { ErrorType } from '../../shared/errors';

/** A classified download failure; activities turn it into an ApplicationFailure of the same type. */
export class DownloadError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Maps an HTTP status (not 200) to the error type of spec §2.6. */
export function statusErrorType(status: number): ErrorType {
  if (status === 401) return 'HttpAuth';
  if (status === 408 || status === 429 || status >= 500) return 'HttpTransient';
  if (status >= 400) return 'HttpPermanent';
  return 'HttpUnexpected';
}

/** Network-level errors (socket, DNS, timeouts) are transient; anything else passes through unchanged. */
export function asDownloadError(err: unknown, what: string): unknown {
  if (err instanceof DownloadError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return err;
  if (e?.code && (TRANSIENT_CODES.has(e.code) || e.code.startsWith('ERR_SSL') || e.code.startsWith('CERT_'))) {
    const type = e.code.startsWith('ERR_SSL') || e.code.startsWith('CERT_') ? 'HttpPermanent' : 'NetworkTransient';
    return new DownloadError(type, `${what}: ${e.code} ${e.message}`);
  }
  return err;
}
