/**
 * Node's process warnings, which it prints as plain text on stderr, handled by us instead: long-lived processes log
 * them as records (every line they write is one), the CLI prints them as Node does. One known harmless warning is
 * quietened: kafkajs 2.2.4 (unmaintained) arms its request queue's timer with a negative delay whenever it is not
 * throttled; Node has always run such a timer after 1 ms, and since Node 23 it also says so each time
 * (TimeoutNegativeWarning).
 */
import type { Logger } from './logger';

/** The kafkajs timer warning described above (a negative timeout anywhere else is still reported). */
export function isKafkajsTimerWarning(warning: Error): boolean {
  return warning.name === 'TimeoutNegativeWarning' && /[\\/]kafkajs[\\/]/.test(warning.stack ?? '');
}

/** Replaces Node's own printing of process warnings by `onWarning`. */
export function handleProcessWarnings(onWarning: (warning: Error) => void, proc: NodeJS.Process = process): void {
  proc.removeAllListeners('warning');
  proc.on('warning', onWarning);
}

/** For the CLI: the line Node would print, except for the kafkajs timer warning. */
export function printWarning(
  warning: Error,
  write: (line: string) => unknown = (line) => process.stderr.write(line),
): void {
  if (!isKafkajsTimerWarning(warning)) write(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
}

/** For long-lived processes: a warn record with the warning's stack (the kafkajs timer warning at debug). */
export function logWarning(log: Logger): (warning: Error) => void {
  return (warning) =>
    log[isKafkajsTimerWarning(warning) ? 'debug' : 'warn'](`node warning: ${warning.name}: ${warning.message}`, {
      warning,
    });
}
