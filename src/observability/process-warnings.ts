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

/** Node's own handling of a warning (its printer, which honours NODE_NO_WARNINGS, --disable-warning and the rest). */
export type NodeWarningPrinter = (warning: Error) => void;

/** Replaces Node's own printing of process warnings by `onWarning`, which gets Node's printer to call if it wants. */
export function handleProcessWarnings(
  onWarning: (warning: Error, nodePrint: NodeWarningPrinter) => void,
  proc: NodeJS.Process = process,
): void {
  const node = proc.listeners('warning') as NodeWarningPrinter[];
  proc.removeAllListeners('warning');
  const nodePrint: NodeWarningPrinter = (warning) => {
    for (const listener of node) listener.call(proc, warning);
  };
  proc.on('warning', (warning: Error) => onWarning(warning, nodePrint));
}

/** For the CLI: Node prints the warning as it always does (its flags hold), except the kafkajs timer warning. */
export function printWarning(warning: Error, nodePrint: NodeWarningPrinter): void {
  if (!isKafkajsTimerWarning(warning)) nodePrint(warning);
}

/** For long-lived processes: a warn record with the warning's stack (the kafkajs timer warning at debug). */
export function logWarning(log: Logger): (warning: Error) => void {
  return (warning) =>
    log[isKafkajsTimerWarning(warning) ? 'debug' : 'warn'](`node warning: ${warning.name}: ${warning.message}`, {
      warning,
    });
}
