/**
 * One log record as one line a person can read: `HH:MM:SS.mmm LEVEL component [trace] message key=value ...`.
 * Fields that only help a machine (task tokens, correlation ids, the task queue and namespace every line shares)
 * are left out; nested fields (the Temporal SDK's metadata) are flattened. No colours: the line reads the
 * same in a terminal, a pipe and a file.
 */
import { stringifyOrUndefined } from '../shared/json-walk';

const DROPPED = new Set([
  'time',
  'level',
  'msg',
  'component',
  'trace_id',
  'workflow_id',
  // Temporal SDK metadata
  'taskToken',
  'namespace',
  'taskQueue',
  'sdkComponent',
  'isLocal',
  'activityId',
  'workflowId',
  'runId',
  'workflowRunId',
  'workflowType',
  'scheduledTimestampMs',
  'startedTimestampMs',
  'currentAttemptScheduledTimestampMs',
  // kafkajs
  'clientId',
  'correlationId',
  'size',
  'timestamp',
  'logger',
]);

interface ErrorLike {
  name?: unknown;
  message: string;
  cause?: unknown;
}
const isErrorLike = (v: unknown): v is ErrorLike =>
  typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string';

/** `Name: message`, then `; cause: Name: message` for each cause in its chain (a logged error has no loop). */
function errorText(e: ErrorLike): string {
  const parts: string[] = [];
  let cause: unknown = e;
  for (; isErrorLike(cause); cause = cause.cause)
    parts.push(typeof cause.name === 'string' ? `${cause.name}: ${cause.message}` : cause.message);
  if (cause !== undefined) parts.push(typeof cause === 'string' ? cause : (stringifyOrUndefined(cause) ?? ''));
  return parts.join('; cause: ');
}

function text(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (isErrorLike(v)) return JSON.stringify(errorText(v));
  return stringifyOrUndefined(v) ?? '"<nested too deep to write>"';
}

/** `key=value` of every field, nested plain objects flattened in order; without recursion (fields may be deep). */
function fields(record: Record<string, unknown>, out: string[]): void {
  const todo: [string, unknown][] = Object.entries(record).reverse();
  for (let next = todo.pop(); next; next = todo.pop()) {
    const [k, v] = next;
    if (DROPPED.has(k) || v === undefined || v === null) continue;
    const isPlainObject = typeof v === 'object' && !Array.isArray(v) && !('message' in v);
    if (isPlainObject) for (const entry of Object.entries(v).reverse()) todo.push(entry);
    else out.push(`${k}=${text(v)}`);
  }
}

export function consoleLine(record: Record<string, unknown>): string {
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const level = String(record.level ?? '')
    .toUpperCase()
    .padEnd(5);
  const trace = typeof record.trace_id === 'string' ? ` [${record.trace_id}]` : '';
  const rest: string[] = [];
  fields(record, rest);
  return [`${time} ${level} ${String(record.component ?? '')}${trace} ${String(record.msg ?? '')}`, ...rest].join(' ');
}
