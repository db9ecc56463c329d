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

function text(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (v && typeof v === 'object' && 'message' in v && typeof (v as { message: unknown }).message === 'string') {
    const e = v as { name?: unknown; message: string };
    return JSON.stringify(typeof e.name === 'string' ? `${e.name}: ${e.message}` : e.message);
  }
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
