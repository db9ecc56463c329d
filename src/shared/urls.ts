/** Pure helpers on attachment URLs: file name and extension, presigned-URL expiry; redaction is in url-secrets.ts. */

export {
  isSecretParam,
  redactJsonSecrets,
  redactSecrets,
  redactSecretsDeep,
  redactUrlSecrets,
  sanitizeUrl,
} from './url-secrets';

export interface FileNameParts {
  /** Sanitised base name without extension ("attachment" when nothing usable is left). */
  readonly name: string;
  /** Lower-case extension without the dot, or '' when there is none. */
  readonly ext: string;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a file name
const UNSAFE_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const MAX_NAME_CHARS = 150;

/** Makes one path component safe: NFC, no separators or control characters, no leading/trailing dots or spaces. */
export function sanitizeComponent(raw: string, fallback: string): string {
  const cleaned = raw
    .normalize('NFC')
    .replace(UNSAFE_CHARS, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const cut = [...cleaned].slice(0, MAX_NAME_CHARS).join('');
  return cut.length === 0 || cut === '.' || cut === '..' ? fallback : cut;
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * File name and extension of an attachment URL: the last path segment, URL-decoded; when it has no extension,
 * the query parameter filename, file or name (as the original system did).
 */
export function fileNameOf(rawUrl: string): FileNameParts {
  const url = new URL(rawUrl);
  const segment = decodeSafely(url.pathname.split('/').pop() ?? '');
  let parts = splitExt(segment);
  if (!parts.ext) {
    for (const p of ['filename', 'file', 'name']) {
      const v = url.searchParams.get(p);
      if (v && splitExt(v).ext) {
        parts = splitExt(v.split(/[/\\]/).pop() ?? v);
        break;
      }
    }
  }
  return { name: sanitizeComponent(parts.name, 'attachment'), ext: parts.ext.toLowerCase().replace(/[^a-z0-9]/g, '') };
}

function splitExt(s: string): { name: string; ext: string } {
  const dot = s.lastIndexOf('.');
  if (dot <= 0 || dot === s.length - 1) return { name: s, ext: '' };
  return { name: s.slice(0, dot), ext: s.slice(dot + 1) };
}

export interface Expiry {
  readonly signedAt: string;
  readonly expiresAt: string;
  readonly expired: boolean;
}

/**
 * Expiry of a presigned URL: S3 style (X-Amz-Date + X-Amz-Expires, names case-insensitive) or ClaimX style
 * (systemDate + expires, both ms). Undefined when the URL carries no (parseable) expiry.
 */
export function presignedExpiry(rawUrl: string, now: Date): Expiry | undefined {
  const params = new Map<string, string>();
  for (const [k, v] of new URL(rawUrl).searchParams) params.set(k.toLowerCase(), v);
  let signed: number | undefined;
  let ttlMs: number | undefined;
  const amzDate = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(params.get('x-amz-date') ?? '');
  if (amzDate && /^\d+$/.test(params.get('x-amz-expires') ?? '')) {
    const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = amzDate.slice(1).map(Number); // six groups: all match
    signed = Date.UTC(y, mo - 1, d, h, mi, s);
    ttlMs = Number(params.get('x-amz-expires')) * 1000;
  } else if (/^\d+$/.test(params.get('systemdate') ?? '') && /^\d+$/.test(params.get('expires') ?? '')) {
    signed = Number(params.get('systemdate'));
    ttlMs = Number(params.get('expires'));
  }
  if (signed === undefined || ttlMs === undefined || !Number.isFinite(signed)) return undefined;
  const expiresAt = signed + ttlMs;
  return {
    signedAt: new Date(signed).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    expired: now.getTime() >= expiresAt,
  };
}
