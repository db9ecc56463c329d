/**
 * What a log call's fields become before they are written: JSON-safe data with every text redacted. Errors keep
 * their name, message, stack, code and cause chain (not the other things they carry: a request's headers, a
 * response body); a value met again inside itself is written as `[Circular]`; nesting beyond MAX_DEPTH is cut.
 * Walked without recursion (mapLeaves), so no field can make the log call throw or overflow the stack.
 */
import { mapLeaves } from '../shared/json-walk';
import { redactUrlSecrets } from '../shared/url-secrets';

export const CIRCULAR = '[Circular]';
export const TOO_DEEP = '[nested too deep to write]';
/** Deeper than any record worth reading (the Temporal SDK's failure metadata nests about ten levels). */
const MAX_DEPTH = 100;

// A URL token: matched once each, left to right, so text of many URLs costs linear time.
const URL_TOKEN = /https?:\/\/[^\s"']+/gi;

/** The URL with everything from its query on replaced by `?<redacted>` (unchanged without a query). */
function dropQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut > 0 && url[cut] === '?' ? `${url.slice(0, cut)}?<redacted>` : url;
}

/**
 * Replaces the query string of every URL in `text` with `?<redacted>`, and redacts signed parameters of URLs
 * written in any escaping (JSON `\/` or `\u` escapes, percent-encoded in another URL).
 */
export function redactUrls(text: string): string {
  return redactUrlSecrets(text.replace(URL_TOKEN, dropQuery));
}

/**
 * A cause (or an AggregateError's entry) that is not an Error: its top-level primitives only. Whatever it nests
 * (request headers, a response body) is what an error's own extra properties are, and those are never logged.
 */
function causeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Error || v instanceof URL) return v;
  const kept: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    kept[k] = x !== null && typeof x === 'object' && !(x instanceof URL) ? '[object]' : x;
  return kept;
}

/** An error as the fields worth logging: name, message, stack, code and its causes (walked like the rest). */
function errorFields(err: Error): object {
  const code = (err as { code?: unknown }).code;
  return {
    name: String(err.name),
    message: String(err.message),
    ...(typeof err.stack === 'string' ? { stack: err.stack } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(err.cause !== undefined ? { cause: causeValue(err.cause) } : {}),
    ...(err instanceof AggregateError ? { errors: (err.errors as unknown[]).map(causeValue) } : {}),
  };
}

function leaf(v: unknown): unknown {
  if (typeof v === 'string') return redactUrls(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof URL) return redactUrls(v.href);
  return v;
}

/** `value` as JSON-safe data with its texts redacted; a value nothing changed comes back as it is. */
export function logSafe(value: unknown): unknown {
  return mapLeaves(value, leaf, {
    isLeaf: (v) => v instanceof URL,
    view: (v) => (v instanceof Error ? errorFields(v) : v),
    onCycle: () => CIRCULAR,
    maxDepth: MAX_DEPTH,
    tooDeep: TOO_DEEP,
  });
}
