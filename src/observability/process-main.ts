import net from 'node:net';
import { type Config, ConfigError, loadConfig } from '../config/config';
import { createLogger, type Logger, type LogFormatSetting, processLogger, resolveLogFormat } from './logger';
import { handleProcessWarnings, logWarning } from './process-warnings';

/**
 * How long a process that has stopped (cleanly or by an error) may take to exit by itself before it is ended: what
 * still holds it open then is a leak (a socket a client forgot, a timer), and a supervisor waits for the exit.
 */
export const EXIT_GRACE_MS = 5_000;

/**
 * Runs a long-lived process (bridge, worker) so that every line it writes, the fatal ones included, is a log record
 * in the chosen format: an invalid configuration is logged (exit 2), and so is the error that ends `run` (exit 1).
 * Once `run` has returned or thrown, the process exits: by itself when nothing is left open, else after
 * `exitGraceMs` with a log line naming what was still open.
 */
export async function processMain(
  component: string,
  run: (config: Config, log: Logger) => Promise<void>,
  exitGraceMs = EXIT_GRACE_MS,
): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const setting = process.env.LOG_FORMAT;
    const format = resolveLogFormat(
      setting === 'json' || setting === 'console' ? setting : ('auto' as LogFormatSetting),
    );
    createLogger(component, { format }).error('invalid configuration; not started', { problems: err.problems });
    process.exitCode = 2;
    return;
  }
  const log = processLogger(component, config);
  handleProcessWarnings(logWarning(log));
  try {
    await run(config, log);
  } catch (err) {
    log.error(`${component} stopped by an error: ${err instanceof Error ? err.message : String(err)}`, {
      error: err, // an Error is logged with its stack and cause chain
    });
    process.exitCode = 1;
  } finally {
    exitAfter(exitGraceMs, component, log);
  }
}

/** Ends the process `graceMs` from now unless it has exited by itself (the timer alone does not keep it alive). */
function exitAfter(graceMs: number, component: string, log: Logger): void {
  const timer = setTimeout(() => {
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    log.warn(`${component} did not exit by itself within ${graceMs / 1000} s of stopping; exiting now`, {
      exit_code: code,
      still_open: openResources(),
      sockets: openSockets(),
    });
    process.exit(code);
  }, graceMs);
  timer.unref();
}

/**
 * The TCP sockets still open, as `local port -> remote host:port` (which client forgot one: 9092 is Kafka, 7233
 * Temporal). Node has no public API listing handles; `_getActiveHandles` is read only here, for this log line.
 */
function openSockets(): string[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles
    .filter((h): h is net.Socket => h instanceof net.Socket && h.remotePort !== undefined)
    .map((s) => `${s.localPort} -> ${s.remoteAddress}:${s.remotePort}${s.destroyed ? ' (destroyed)' : ''}`);
}

/** What keeps the event loop alive, by kind: e.g. { TCPSocketWrap: 1, Timeout: 2 }. */
function openResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
