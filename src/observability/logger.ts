/**
 * JSON-lines logger. Every line carries time, level, component and message; callers add trace_id / workflow_id.
 * Values that look like URLs have their query strings redacted, so signed URL parameters never reach the logs.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const URL_QUERY = /(https?:\/\/[^\s"'?#]+)\?[^\s"']*/gi;

/** Replaces the query string of every URL in `text` with `?<redacted>`. */
export function redactUrls(text: string): string {
  return text.replace(URL_QUERY, '$1?<redacted>');
}

function sanitize(value: unknown): unknown {
  if (typeof value === 'string') return redactUrls(value);
  if (value instanceof Error) return { name: value.name, message: redactUrls(value.message) };
  if (Array.isArray(value)) return value.map(sanitize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitize(v)]));
  }
  return value;
}

export function createLogger(
  component: string,
  opts: { level?: LogLevel; write?: (line: string) => void; base?: LogFields } = {},
): Logger {
  const min = RANK[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const base = { component, ...opts.base };
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[level] < min) return;
    const record = {
      time: new Date().toISOString(),
      level,
      msg: redactUrls(msg),
      ...base,
      ...(sanitize(fields ?? {}) as LogFields),
    };
    write(JSON.stringify(record));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(component, { ...opts, base: { ...opts.base, ...fields } }),
  };
}
