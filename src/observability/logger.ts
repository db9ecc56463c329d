/**
 * The processes' logger, on pino: JSON lines (time, level, component, message, fields; callers add trace_id /
 * workflow_id), or one readable line per record for a person at a terminal (see console-format.ts). Fields pass
 * through logSafe first (log-values.ts): URL query strings and signed parameters are redacted in every text, errors
 * keep their stack and cause chain, and a field that contains itself is written, not thrown.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import { consoleLine } from './console-format';
import { logSafe, redactUrls } from './log-values';

export { redactUrls } from './log-values';

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

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const safeFields = (fields: LogFields | undefined): LogFields => (fields ? (logSafe(fields) as LogFields) : {});

/** Our Logger over a pino logger; fields are made safe before pino sees them. */
function wrap(p: PinoLogger): Logger {
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (p.isLevelEnabled(level)) p[level](safeFields(fields), redactUrls(msg));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => wrap(p.child(safeFields(fields))),
  };
}

/**
 * A logger for `component`. `write` receives each record as one line without its newline, synchronously (default:
 * stdout, in order with the process's other output).
 */
export function createLogger(
  component: string,
  opts: { level?: LogLevel; format?: LogFormat; write?: (line: string) => void; base?: LogFields } = {},
): Logger {
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const asLine =
    opts.format === 'console'
      ? (json: string) => consoleLine(JSON.parse(json) as Record<string, unknown>)
      : (json: string) => json.trimEnd();
  const destination = { write: (json: string) => write(asLine(json)) };
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: { component, ...safeFields(opts.base) },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors are already plain fields (logSafe); pino's own `err` serializer would rename their fields.
      serializers: { err: (v: unknown) => v },
    },
    destination,
  );
  return wrap(p);
}
