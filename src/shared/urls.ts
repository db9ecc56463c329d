/** Pure helpers on attachment URLs: display sanitising, file name and extension, presigned-URL expiry. */

/** Query parameters that carry credentials or signatures (matched case-insensitively; x-amz-* always). */
const SECRET_PARAMS = new Set([
  'sig',
  'signature',
  'sv',
  'se',
  'st',
  'sp',
  'sr',
  'spr',
  'skoid',
  'sktid',
  'skt',
  'ske',
  'sks',
  'skv',
  'token',
  'access_token',
  'api_key',
  'apikey',
  'key',
  'secret',
  'password',
  'pwd',
  'auth',
  'authorization',
  'expires',
  'systemdate',
]);

const isSecretParam = (name: string): boolean => {
  const lower = name.toLowerCase();
  return lower.startsWith('x-amz-') || lower.startsWith('x-goog-') || SECRET_PARAMS.has(lower);
};

/** The URL with every credential-like query value replaced by `redacted`; unparseable input is cut at '?'. */
export function sanitizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.split('?')[0];
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (isSecretParam(name)) url.searchParams.set(name, 'redacted');
  }
  return url.toString();
}

/** The URL as it is when it carries no credentials or signature, else sanitizeUrl's form. */
export function redactSecrets(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.split('?')[0];
  }
  const secret = url.username !== '' || url.password !== '' || [...url.searchParams.keys()].some(isSecretParam);
  return secret ? sanitizeUrl(raw) : raw;
}

// A URL inside free text; stops at whitespace, quotes, angle brackets and backslashes (JSON escapes).
const URL_IN_TEXT = /https?:\/\/[^\s"'<>\\]+/gi;

/** `text` with every URL in it passed through redactSecrets. */
export function redactUrlSecrets(text: string): string {
  return text.includes('://') ? text.replace(URL_IN_TEXT, redactSecrets) : text;
}

/** A copy of a JSON-like value with redactUrlSecrets applied to every string in it; the value itself if none changed. */
export function redactSecretsDeep<T>(value: T): T {
  if (typeof value === 'string') return redactUrlSecrets(value) as T;
  if (Array.isArray(value)) {
    const items = value.map(redactSecretsDeep);
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const clean = entries.map(([k, v]) => [k, redactSecretsDeep(v)] as const);
    return (clean.some(([, v], i) => v !== entries[i][1]) ? Object.fromEntries(clean) : value) as T;
  }
  return value;
}

/**
 * JSON text with the signed URL parameters in its strings redacted; the text itself, byte for byte, when nothing
 * needed redacting. Text that is not JSON has every URL's secrets redacted in place.
 */
export function redactJsonSecrets(json: string): string {
  if (!json.includes(':')) return json; // no URL, escaped or not
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return redactUrlSecrets(json);
  }
  const clean = redactSecretsDeep(parsed);
  return clean === parsed ? json : JSON.stringify(clean);
}

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
    const [, y, mo, d, h, mi, s] = amzDate.map(Number);
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
