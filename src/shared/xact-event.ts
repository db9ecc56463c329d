/**
 * The xact event as it arrives on `xact.events.raw` (spec §1.1), decoded and validated. Pure: used by the
 * bridge (to decide between a pipeline run and a DLQ entry) and by tests.
 */
export type JsonObject = { [key: string]: unknown };

export interface XactEvent {
  readonly type: string;
  /** Text after the last '.' of `type`, e.g. documentsReceived. */
  readonly statusSubtype: string;
  /** As sent; numeric strings are coerced to numbers like the original system did. */
  readonly version: number | string | null;
  /** Event time, normalised to ISO-8601 UTC. */
  readonly utcDateTime: string;
  readonly traceId: string;
  /** The nested payload, parsed when it arrived as a JSON string. */
  readonly data: JsonObject;
}

export type DecodeResult = { ok: true; event: XactEvent; raw: JsonObject } | { ok: false; reason: string };

const fail = (reason: string): DecodeResult => ({ ok: false, reason });

/**
 * Deepest nesting of arrays and objects a message may have. Code that walks JSON recursively (the payload
 * converter's and the Delta writer's JSON.stringify, redaction) overflows the stack at a few thousand levels; real
 * events nest less than 10.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when the JSON text nests arrays and objects deeper than `limit`: one pass over the characters, no recursion
 * and no parsing, so any depth is measured safely. Brackets inside strings do not count.
 */
export function jsonDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const tooDeep = (what: string, limit: number) =>
  `${what} nests arrays and objects deeper than ${limit} levels (MAX_JSON_DEPTH)`;

/** A message value that must be one JSON object: the object, or why it is not one. */
export function parseJsonObject(text: string): { ok: true; value: JsonObject } | { ok: false; reason: string } {
  if (jsonDeeperThan(text, MAX_JSON_DEPTH)) return { ok: false, reason: tooDeep('the message', MAX_JSON_DEPTH) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  return { ok: true, value: parsed as JsonObject };
}

/** Decodes a message value (UTF-8 text) into an xact event, or says precisely why it is not one. */
export function decodeXactEvent(text: string): DecodeResult {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;

  const traceId = raw.traceId ?? raw.trace_id;
  if (typeof traceId !== 'string' || traceId.trim() === '')
    return fail('missing traceId (or trace_id): a non-blank string is required');
  if (typeof raw.type !== 'string' || raw.type.trim() === '')
    return fail('missing type: a non-blank string is required');
  if (typeof raw.utcDateTime !== 'string' || Number.isNaN(Date.parse(raw.utcDateTime))) {
    return fail(`utcDateTime ${JSON.stringify(raw.utcDateTime ?? null)} is not an ISO-8601 time`);
  }
  let version: number | string | null = null;
  if (typeof raw.version === 'number') version = raw.version;
  else if (typeof raw.version === 'string')
    version = /^-?\d+$/.test(raw.version.trim()) ? Number(raw.version) : raw.version;
  else if (raw.version !== undefined && raw.version !== null) return fail('version must be a number or a string');

  let data: unknown = raw.data ?? {};
  if (typeof data === 'string') {
    // The string's JSON sits one level below the message's top.
    if (jsonDeeperThan(data, MAX_JSON_DEPTH - 1)) return fail(tooDeep('data', MAX_JSON_DEPTH - 1));
    try {
      data = JSON.parse(data);
    } catch {
      return fail('data is a string but not valid JSON');
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return fail('data must be a JSON object (or a JSON string of one)');

  const type = raw.type.trim();
  return {
    ok: true,
    raw,
    event: {
      type,
      statusSubtype: type.slice(type.lastIndexOf('.') + 1),
      version,
      utcDateTime: new Date(Date.parse(raw.utcDateTime)).toISOString(),
      traceId: traceId.trim(),
      data: data as JsonObject,
    },
  };
}

/**
 * Why an event has too many attachments for one run (null when it has not): every attachment adds a transfer and its
 * events to the run's history and a plan to its first step's result, so thousands of them would pass Temporal's
 * payload or history limits and the run would be terminated, which is not a DLQ entry.
 */
export function tooManyAttachments(event: XactEvent, max: number): string | null {
  const count = attachmentUrls(event).length;
  return count > max
    ? `the event has ${count} attachments; at most ${max} per event are taken (MAX_ATTACHMENTS_PER_EVENT)`
    : null;
}

/** Attachment URLs of an event: strings only, trimmed, empty ones dropped, first occurrence of each kept. */
export function attachmentUrls(event: XactEvent): string[] {
  const list = Array.isArray(event.data.attachments) ? event.data.attachments : [];
  const urls = list
    .filter((u): u is string => typeof u === 'string')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  return [...new Set(urls)];
}

/** A string field of `data` at a dotted path, or null. */
export function dataString(event: XactEvent, path: string): string | null {
  let cur: unknown = event.data;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as JsonObject)[key];
  }
  if (cur === null || cur === undefined) return null;
  return typeof cur === 'string' ? cur : typeof cur === 'number' || typeof cur === 'boolean' ? String(cur) : null;
}
