/** Reading the Temporal server's Prometheus page into the counts one event costs (pure: text in, numbers out). */
import { parseMetrics, type Sample } from '../src/observability/scrape';

/** Persistence operations that write (SQL persistence appends history inside UpdateWorkflowExecution). */
const WRITE_OPERATIONS = new Set([
  'CreateWorkflowExecution',
  'UpdateWorkflowExecution',
  'ConflictResolveWorkflowExecution',
  'SetWorkflowExecution',
  'CreateTasks',
  'AddTasks',
  'CompleteTasksLessThan',
  'RangeCompleteHistoryTasks',
  'RangeCompleteTransferTasks',
  'RangeCompleteTimerTasks',
  'RangeCompleteVisibilityTasks',
  'RangeCompleteOutboundTasks',
  'UpdateShard',
  'UpdateTaskQueue',
  'RecordWorkflowExecutionStarted',
  'RecordWorkflowExecutionClosed',
  'UpsertWorkflowExecution',
]);

/** Frontend calls that end a workflow task, and those that end an activity task (each once per task). */
const WORKFLOW_TASK_ENDS = new Set(['RespondWorkflowTaskCompleted', 'RespondWorkflowTaskFailed']);
const ACTIVITY_TASK_ENDS = new Set([
  'RespondActivityTaskCompleted',
  'RespondActivityTaskCompletedById',
  'RespondActivityTaskFailed',
  'RespondActivityTaskFailedById',
  'RespondActivityTaskCanceled',
  'RespondActivityTaskCanceledById',
]);

/** Sum of the samples of `name` whose labels pass `keep` (all of them by default). */
function sumWhere(
  samples: readonly Sample[],
  name: string,
  keep: (labels: Readonly<Record<string, string>>) => boolean = () => true,
): number {
  let sum = 0;
  for (const s of samples) if (s.name === name && keep(s.labels)) sum += s.value;
  return sum;
}

/** The server's running totals that an event adds to (a snapshot: take one before and one after a run). */
export interface ServerCounters {
  /** Persistence writes of all namespaces (the system namespace's writes are work the pipeline causes too). */
  readonly persistenceWrites: number;
  /** Workflow tasks completed or failed in `namespace`, counted where the worker reports them (frontend). */
  readonly workflowTasks: number;
  /** Activity tasks completed, failed or cancelled in `namespace` (local activities never reach the server). */
  readonly activityTasks: number;
}

/**
 * A namespace as the server's Prometheus reporter writes it into a label: characters other than letters, digits and
 * `_` become `_` (the cluster's `kafka-pipeline` is `kafka_pipeline` there).
 */
const metricName = (namespace: string) => namespace.replace(/[^A-Za-z0-9_]/g, '_');

/** `namespace`: the pipeline's (the target's TEMPORAL_NAMESPACE: `default` on the dev server, `kafka-pipeline` on the cluster). */
export function serverCounters(text: string, namespace: string): ServerCounters {
  const samples = parseMetrics(text);
  type Labels = Readonly<Record<string, string>>;
  const writes = (labels: Labels) => WRITE_OPERATIONS.has(labels.operation ?? '');
  const frontendCalls = (operations: ReadonlySet<string>) => (labels: Labels) =>
    labels.service_name === 'frontend' &&
    labels.namespace === metricName(namespace) &&
    operations.has(labels.operation ?? '');
  return {
    persistenceWrites:
      sumWhere(samples, 'persistence_requests', writes) + sumWhere(samples, 'visibility_persistence_requests', writes),
    workflowTasks: sumWhere(samples, 'service_requests', frontendCalls(WORKFLOW_TASK_ENDS)),
    activityTasks: sumWhere(samples, 'service_requests', frontendCalls(ACTIVITY_TASK_ENDS)),
  };
}

/** What `events` events cost the server between two snapshots, per event. */
export function perEventCounts(before: ServerCounters, after: ServerCounters, events: number): ServerCounters {
  if (!(events > 0)) throw new Error(`per-event counts need at least one event, got ${events}`);
  const per = (key: keyof ServerCounters) => (after[key] - before[key]) / events;
  return {
    persistenceWrites: per('persistenceWrites'),
    workflowTasks: per('workflowTasks'),
    activityTasks: per('activityTasks'),
  };
}

/**
 * The frontend's running totals of StartWorkflowExecution: seconds spent and calls (the history service reports the
 * same operation under its own service_name; counted once, where the client's request arrives).
 */
export function frontendStarts(text: string): { seconds: number; calls: number } {
  const samples = parseMetrics(text);
  const starts = (labels: Readonly<Record<string, string>>) =>
    labels.service_name === 'frontend' && labels.operation === 'StartWorkflowExecution';
  return {
    seconds: sumWhere(samples, 'service_latency_sum', starts),
    calls: sumWhere(samples, 'service_latency_count', starts),
  };
}
