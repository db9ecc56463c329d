/** Reading the Temporal server's Prometheus page into the counts one event costs (pure: text in, numbers out). */

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

/** Sum of the samples of `name` in a Prometheus text page (optionally only those whose labels pass `keep`). */
export function metricSum(text: string, name: string, keep: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? ([0-9.e+-]+)$`, 'gm'))) {
    if (keep(m[1] ?? '')) sum += Number(m[2]);
  }
  return sum;
}

const label = (labels: string, key: string): string | undefined =>
  new RegExp(`(?:^|,)${key}="([^"]*)"`).exec(labels)?.[1];

/** The server's running totals that an event adds to (a snapshot: take one before and one after a run). */
export interface ServerCounters {
  /** Persistence writes of all namespaces (the system namespace's writes are work the pipeline causes too). */
  readonly persistenceWrites: number;
  /** Workflow tasks completed or failed in `namespace`, counted where the worker reports them (frontend). */
  readonly workflowTasks: number;
  /** Activity tasks completed, failed or cancelled in `namespace` (local activities never reach the server). */
  readonly activityTasks: number;
}

export function serverCounters(text: string, namespace = 'default'): ServerCounters {
  const writes = (labels: string) => WRITE_OPERATIONS.has(label(labels, 'operation') ?? '');
  const frontendCalls = (operations: ReadonlySet<string>) => (labels: string) =>
    label(labels, 'service_name') === 'frontend' &&
    label(labels, 'namespace') === namespace &&
    operations.has(label(labels, 'operation') ?? '');
  return {
    persistenceWrites:
      metricSum(text, 'persistence_requests', writes) + metricSum(text, 'visibility_persistence_requests', writes),
    workflowTasks: metricSum(text, 'service_requests', frontendCalls(WORKFLOW_TASK_ENDS)),
    activityTasks: metricSum(text, 'service_requests', frontendCalls(ACTIVITY_TASK_ENDS)),
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
