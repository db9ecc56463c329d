import { logLevel } from 'kafkajs';
import type { KafkaLog } from './client-config';

/** Errors a fresh consumer group meets while its coordinator starts (kafkajs retries them): not worth an alarm. */
const START_UP_ERRORS = new Set([
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'LEADER_NOT_AVAILABLE',
]);
// kafkajs' own table of protocol errors (type, retriable, message); the package publishes no typings for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkaErrorCodes = (require('kafkajs/src/protocol/error') as { errorCodes: KafkaErrorCode[] }).errorCodes;
interface KafkaErrorCode {
  type: string;
  retriable: boolean;
  message: string;
}
const RETRIABLE = new Map(kafkaErrorCodes.filter((c) => c.retriable).map((c) => [c.message, c.type]));

/**
 * kafkajs' log lines into ours. kafkajs logs every error response at error level, retriable ones included; those
 * it retries by itself are logged at debug (start-up: coordinator not ready yet) or warn (others), so an error
 * line means something an operator should look at.
 */
export function kafkaLogCreator(log: KafkaLog) {
  return () =>
    ({ level, log: entry }: { level: number; log: { message: string } & Record<string, unknown> }) => {
      const { message, ...rest } = entry;
      const retriable = typeof rest.error === 'string' ? RETRIABLE.get(rest.error) : undefined;
      const text = `kafkajs: ${message}`;
      if (retriable && START_UP_ERRORS.has(retriable)) log.debug(text, rest);
      else if (level <= logLevel.ERROR && !retriable) log.error(text, rest);
      else if (level <= logLevel.WARN) log.warn(text, rest);
    };
}
