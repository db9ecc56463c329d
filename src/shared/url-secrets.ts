/**
 * Redaction of signed URL parameters and URL credentials, in URLs and in any text that may hold one, whatever the
 * escaping the URL took on its way (JSON `\/` and `\u` escapes at any depth, percent-encoding once or more, HTML
 * entities, upper-case scheme or names). Secrets are found by parameter name, not by a literal `://` before them.
 */

import { mapLeaves, stringifyOrUndefined } from './json-walk';

/** Query parameters that carry credentials or signatures (matched case-insensitively; x-amz-* always). */
const SECRET_PARAMS = [
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
];
const SECRET_PREFIXES = ['x-amz-', 'x-goog-'];
const SECRET_SET = new Set(SECRET_PARAMS);

export const isSecretParam = (name: string): boolean => {
  const lower = name.toLowerCase();
  return SECRET_PREFIXES.some((p) => lower.startsWith(p)) || SECRET_SET.has(lower);
};

// ---- escape-tolerant patterns

/**
 * A run of 1 to 31 backslashes: the escaping of up to five JSON levels (2^5 - 1). Bounded, so a long run of
 * backslashes costs linear time (an unbounded `\\+` backtracks quadratically); deeper nesting is caught by the
 * decoded view below.
 */
const BACKSLASHES = '\\\\{1,31}';
const BACKSLASHES_OR_NONE = '\\\\{0,31}';
const code = (ch: string): number => ch.charCodeAt(0);
const hex2 = (ch: string): string => code(ch).toString(16).padStart(2, '0');
const literal = (ch: string): string => ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Regex source for `ch` written any way text may carry it: as itself (after any backslashes), as a JSON `\u00XX`
 * escape behind any number of backslashes, percent-encoded any number of times (`%XX`, `%25XX`, ...) or as an
 * HTML numeric entity.
 */
function anyForm(ch: string): string {
  const h = hex2(ch);
  // A backslash run is tried from its start only (the lookbehind), so a long run costs linear time.
  return `(?:(?<!\\\\)${BACKSLASHES_OR_NONE}(?:${literal(ch)}|u00${h})|%(?:25)*${h}|&#x0{0,6}${h};|&#0{0,6}${code(ch)};)`;
}
const word = (w: string): string => [...w].map(anyForm).join('');

const SEPARATOR = `(?:${anyForm('?')}|${anyForm('&')}(?:amp;)*)`;
const NAME_TAIL = `(?:[a-z0-9_]|${anyForm('-')})*`;
const NAME = `(?:${[...SECRET_PARAMS]
  .sort((a, b) => b.length - a.length)
  .map(word)
  .join('|')}|(?:${SECRET_PREFIXES.map(word).join('|')})${NAME_TAIL})`;
const EQUALS = anyForm('=');
// A value runs to the next separator, quote, space or fragment in whatever form; an escaped slash or a percent- or
// \u-escaped character other than those stays part of it.
const VALUE_UNIT =
  `[^&\\s"'<>#\\\\%]` + `|%(?!(?:25)*(?:26|22|27|23))` + `|${BACKSLASHES}(?:/|u(?!00(?:26|22|27|3c|3e|23))[0-9a-f]{4})`;
const SECRET_PARAM = new RegExp(`(${SEPARATOR}${NAME}${EQUALS})(?:${VALUE_UNIT})+`, 'gi');

const SCHEMES = '(?:https?|ftps?|wss?)';
const SLASH = anyForm('/');
const STOP = `${SLASH}|${anyForm('?')}|${anyForm('#')}|${anyForm('@')}`;
const USERINFO = new RegExp(
  `(${SCHEMES}${anyForm(':')}${SLASH}${SLASH})(?:(?!${STOP})[^\\s"'<>])+${anyForm('@')}`,
  'gi',
);

/** `text` with every secret parameter's value replaced by `redacted` and URL credentials removed, in any form. */
function redactEncoded(text: string): string {
  return text.replace(SECRET_PARAM, '$1redacted').replace(USERINFO, '$1');
}

// ---- the decoded view: what a reader gets after undoing every escape; a secret must not survive it either

const ESCAPED = /\\|%[0-9a-f]{2}|&#|&amp;/i;

/**
 * Undoes one level of every escaping, generously (it is a view to search, not a text to keep): `\\u00XX` escapes
 * behind any backslashes become their character, other backslashes go, then HTML entities and percent escapes.
 */
function decodeOnce(text: string): string {
  return text
    .replace(/(?<!\\)\\+u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\+/g, '')
    .replace(/&amp;/gi, '&')
    .replace(/&#x([0-9a-f]{1,6});|&#(\d{1,7});/gi, (m, h?: string, d?: string) => {
      const n = h !== undefined ? parseInt(h, 16) : Number(d);
      return n <= 0x10ffff ? String.fromCodePoint(n) : m;
    })
    .replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function decodedView(text: string): string {
  let cur = text;
  for (let i = 0; i < 32; i++) {
    const next = decodeOnce(cur);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

const LEFT_SECRET = new RegExp(
  `[?&](?:${SECRET_PARAMS.join('|')}|(?:${SECRET_PREFIXES.join('|')})[\\w-]*)=(?!redacted(?:[&\\s"'<>#]|$))[^&\\s"'<>#]|` +
    `${SCHEMES}://[^\\s/?#@"'<>]+@`,
  'i',
);

/**
 * Escape-tolerant redaction, then a check on the decoded view: when an encoding the patterns do not know still
 * shows a secret once decoded, the decoded (and redacted) text is returned instead, so no reader can recover it.
 */
function redactText(text: string): string {
  const out = redactEncoded(text);
  if (!ESCAPED.test(out)) return out;
  const view = decodedView(out);
  return LEFT_SECRET.test(view) ? redactEncoded(view) : out;
}

// ---- URLs

function parsed(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** `raw` up to its first '?'. */
const beforeQuery = (raw: string): string => {
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
};

/** The URL with every credential-like query value replaced by `redacted`; unparseable input is cut at '?'. */
export function sanitizeUrl(raw: string): string {
  const url = parsed(raw);
  if (!url) return redactText(beforeQuery(raw));
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (isSecretParam(name)) url.searchParams.set(name, 'redacted');
  }
  return redactText(url.toString());
}

/** The URL as it is when it carries no credentials or signature (also none nested), else sanitizeUrl's form. */
export function redactSecrets(raw: string): string {
  const url = parsed(raw);
  if (!url) return redactText(beforeQuery(raw));
  const secret = url.username !== '' || url.password !== '' || [...url.searchParams.keys()].some(isSecretParam);
  return secret ? sanitizeUrl(raw) : redactText(raw);
}

// A URL inside free text; stops at whitespace, quotes, angle brackets and backslashes (JSON escapes).
const URL_IN_TEXT = /https?:\/\/[^\s"'<>\\]+/gi;
// Any form of '=' or '@': text without one holds no parameter value and no credentials.
const MAY_HOLD_SECRET = /[=@]|%(?:25)*(?:3d|40)|\\u00(?:3d|40)|&#(?:x0*(?:3d|40)|0*(?:61|64));/i;

/** `text` with the secrets of every URL in it redacted, in whatever escaping the URL appears. */
export function redactUrlSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return redactText(text.includes('://') ? text.replace(URL_IN_TEXT, redactSecrets) : text);
}

/**
 * A copy of a JSON-like value with redactUrlSecrets applied to every string in it; the value itself if none changed.
 * Walks without recursion (mapLeaves), so a value nested at any depth is redacted, not a stack overflow.
 */
export function redactSecretsDeep<T>(value: T): T {
  return mapLeaves(value, (v) => (typeof v === 'string' ? redactUrlSecrets(v) : v)) as T;
}

/**
 * JSON text with the signed URL parameters in its strings redacted (JSON documents inside strings too, at any
 * depth); the text itself, byte for byte, when nothing needed redacting. Text that is not JSON is redacted as text,
 * and so is JSON nested too deep to write again (JSON.stringify recurses per level).
 */
export function redactJsonSecrets(json: string): string {
  if (!MAY_HOLD_SECRET.test(json)) return json;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return redactUrlSecrets(json);
  }
  const clean = redactSecretsDeep(parsed);
  return clean === parsed ? json : (stringifyOrUndefined(clean) ?? redactUrlSecrets(json));
}
