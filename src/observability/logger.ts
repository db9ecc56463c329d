/**
 * The processes' logger: JSON lines (time, level, component, message, fields; callers add trace_id / workflow_id),
 * or one readable line per record for a person at a terminal (see console-format.ts). Values that look like URLs
 * have their query strings redacted in both, so signed URL parameters never reach the logs.
 */
import { mapLeaves, stringifyOrUndefined } from '../shared/json-walk';
import { redactUrlSecrets } from '../shared/url-secrets';
import { consoleLine } from './console-format';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `json` for machines (the default), `console` for a terminal. */
export type LogFormat = 'json' | 'console';
/** LOG_FORMAT: `auto` = console when stdout is a terminal, JSON otherwise. */
export type LogFormatSetting = LogFormat | 'auto';

export function resolveLogFormat(setting: LogFormatSetting, tty = process.stdout.isTTY === true): LogFormat {
  return setting === 'auto' ? (tty ? 'console' : 'json') : setting;
}

/** The logger of a process, as LOG_LEVEL and LOG_FORMAT say. */
export function processLogger(
  component: string,
  settings: { logLevel: LogLevel; logFormat: LogFormatSetting },
): Logger {
  return createLogger(component, { level: settings.logLevel, format: resolveLogFormat(settings.logFormat) });
}
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

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

/** Fields with URLs redacted and errors as name and message; walked without recursion (fields may be deep). */
function sanitize(value: unknown): unknown {
  return mapLeaves(
    value,
    (v) =>
      typeof v === 'string' ? redactUrls(v) : v instanceof Error ? { name: v.name, message: redactUrls(v.message) } : v,
    (v) => v instanceof Error,
  );
}

export function createLogger(
  component: string,
  opts: { level?: LogLevel; format?: LogFormat; write?: (line: string) => void; base?: LogFields } = {},
): Logger {
  const min = RANK[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const base = { component, ...opts.base };
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[level] < min) return;
    const head = { time: new Date().toISOString(), level, msg: redactUrls(msg), ...base };
    const record = { ...head, ...(sanitize(fields ?? {}) as LogFields) };
    if (opts.format === 'console') return write(consoleLine(record));
    // Fields nested deeper than JSON.stringify can write: the line without them, saying so.
    write(stringifyOrUndefined(record) ?? JSON.stringify({ ...head, fields: 'nested too deep to write' }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(component, { ...opts, base: { ...opts.base, ...fields } }),
  };
}
