import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Every metric the pipeline exports, in one place: name, type, help, labels and which process serves it. The
 * processes create their metrics only through `counter` / `gauge` / `histogram` below, and the alert rules,
 * dashboards and runbooks are checked against this list (test/unit/observability-consistency.test.ts), so nothing
 * can query a metric or label that is never emitted. Names and labels of the original system are kept where its
 * alerts used them; `pipeline_*` are what the Temporal design adds.
 */
interface MetricDef {
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly labels: readonly string[];
  /**
   * `combined` (`kafka-pipeline run`) serves every bridge and worker metric too; `dlq-monitor` is the one process of
   * a deployment that counts and archives the DLQ (`kafka-pipeline dlq-monitor`).
   */
  readonly processes: readonly ('bridge' | 'worker' | 'dlq-monitor' | 'combined')[];
  readonly buckets?: readonly number[];
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BOTH = ['bridge', 'worker'] as const;

export const METRICS = {
  // ---- bridge: Kafka side
  kafka_messages_consumed_total: {
    type: 'counter',
    help: 'Messages handed to Temporal, by status: success (workflow started), duplicate (already existed), invalid (DLQ entry)',
    labels: ['topic', 'consumer_group', 'status'],
    processes: ['bridge'],
  },
  kafka_processing_errors_total: {
    type: 'counter',
    help: 'Failed attempts to hand a message to Temporal (the message is retried, never skipped), by error category',
    labels: ['topic', 'consumer_group', 'error_category'],
    processes: ['bridge'],
  },
  kafka_message_processing_duration_seconds: {
    type: 'histogram',
    help: 'Time from fetching a message to Temporal accepting its workflow start (includes retries while paused)',
    labels: ['topic', 'consumer_group'],
    processes: ['bridge'],
    buckets: LATENCY_BUCKETS,
  },
  kafka_consumer_lag: {
    type: 'gauge',
    help: 'Messages not yet committed by the consumer group, per partition (end offset - committed offset)',
    labels: ['topic', 'partition', 'consumer_group'],
    processes: ['bridge'],
  },
  kafka_consumer_offset: {
    type: 'gauge',
    help: 'Committed offset of the consumer group per partition',
    labels: ['topic', 'partition', 'consumer_group'],
    processes: ['bridge'],
  },
  kafka_consumer_assigned_partitions: {
    type: 'gauge',
    help: 'Partitions assigned to this consumer group member',
    labels: ['topic', 'consumer_group'],
    processes: ['bridge'],
  },
  kafka_connection_status: {
    type: 'gauge',
    help: '1 when connected, else 0; component consumer = Kafka group member, temporal = Temporal frontend reachable',
    labels: ['component'],
    processes: ['bridge'],
  },
  bridge_paused_partitions: {
    type: 'gauge',
    help: 'Partitions the bridge has paused: a message not handed over yet (each paused alone), or back-pressure',
    labels: [],
    processes: ['bridge'],
  },
  bridge_stuck_partitions: {
    type: 'gauge',
    help: 'Partitions failing to hand a message over for longer than BRIDGE_STUCK_PARTITION_S (readiness is false)',
    labels: [],
    processes: ['bridge'],
  },
  pipeline_workflow_starts_total: {
    type: 'counter',
    help: 'Workflow start attempts by outcome (started, duplicate, error) and kind (event, invalid)',
    labels: ['outcome', 'kind'],
    processes: ['bridge'],
  },
  pipeline_workflow_start_duration_seconds: {
    type: 'histogram',
    help: 'Latency of one accepted workflow start call',
    labels: [],
    processes: ['bridge'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  pipeline_workflow_eager_starts_total: {
    type: 'counter',
    help: 'Accepted workflow starts of the combined process (kafka-pipeline run), by whether the server started them eagerly on its own worker (eager true) or through the task queue (false)',
    labels: ['eager'],
    processes: ['combined'],
  },
  pipeline_open_workflows: {
    type: 'gauge',
    help: 'Pipeline workflows running on the task queue (counted while BRIDGE_MAX_OPEN_WORKFLOWS is set)',
    labels: [],
    processes: ['bridge'],
  },
  // ---- dlq-monitor: the DLQ as `kafka-pipeline dlq list` counts it
  pipeline_dlq_depth: {
    type: 'gauge',
    help: 'Failed events in the DLQ (failed workflow runs not superseded by a replay or resolution)',
    labels: ['domain', 'category', 'stage'],
    processes: ['dlq-monitor'],
  },
  pipeline_dlq_oldest_failure_age_seconds: {
    type: 'gauge',
    help: 'Age of the oldest failure still in the DLQ (0 when empty)',
    labels: ['domain'],
    processes: ['dlq-monitor'],
  },
  pipeline_dlq_unarchived: {
    type: 'gauge',
    help: 'DLQ entries not yet in the lakehouse archive (DLQ_ARCHIVE_TABLE); the DLQ monitor archives them every refresh',
    labels: ['domain'],
    processes: ['dlq-monitor'],
  },
  pipeline_dlq_unarchived_oldest_age_seconds: {
    type: 'gauge',
    help: 'Age of the oldest DLQ entry not yet archived (0 when all are): retention deletes it unarchived',
    labels: ['domain'],
    processes: ['dlq-monitor'],
  },
  temporal_namespace_retention_seconds: {
    type: 'gauge',
    help: 'Retention of closed runs in the namespace: DLQ entries older than this are gone',
    labels: [],
    processes: ['dlq-monitor'],
  },
  // ---- worker: workflow outcomes (reported by the workflows through a sink, once per run, never on replay)
  pipeline_dlq_entries_total: {
    type: 'counter',
    help: 'Runs that ended failed and so entered the DLQ, by domain, error category and failed stage',
    labels: ['domain', 'category', 'stage'],
    processes: ['worker'],
  },
  pipeline_dlq_replays_total: {
    type: 'counter',
    help: 'Replayed runs (reset or amended) that finished, by outcome (completed, failed)',
    labels: ['domain', 'outcome'],
    processes: ['worker'],
  },
  pipeline_end_to_end_latency_seconds: {
    type: 'histogram',
    help: "Event time (the event's utcDateTime) to its workflow completing",
    labels: ['domain'],
    processes: ['worker'],
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600],
  },
  // ---- worker: attachments
  pipeline_downloads_total: {
    type: 'counter',
    help: 'Attachment transfers (download streamed into the lakehouse) by status and error category',
    labels: ['status', 'error_category'],
    processes: ['worker'],
  },
  pipeline_download_duration_seconds: {
    type: 'histogram',
    help: 'Duration of one attachment transfer attempt',
    labels: ['status'],
    processes: ['worker'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
  // ---- worker: Delta tables
  delta_writes_total: {
    type: 'counter',
    help: 'Delta commits attempted by the group committer, by outcome',
    labels: ['table', 'status'],
    processes: ['worker'],
  },
  delta_events_written_total: {
    type: 'counter',
    help: 'Rows committed to a Delta table (keys already present are not counted)',
    labels: ['table'],
    processes: ['worker'],
  },
  delta_write_duration_seconds: {
    type: 'histogram',
    help: 'Time of one group commit (Parquet files, commit, checkpoint)',
    labels: ['table'],
    processes: ['worker'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  },
  // ---- worker: scheduled maintenance (src/maintenance), set by the worker that ran the step
  delta_table_data_files: {
    type: 'gauge',
    help: 'Live data files of a Delta table, counted by its last maintenance run',
    labels: ['table'],
    processes: ['worker'],
  },
  delta_table_max_files_per_partition: {
    type: 'gauge',
    help: 'Live data files of the fullest partition of a Delta table, counted by its last maintenance run',
    labels: ['table'],
    processes: ['worker'],
  },
  delta_table_log_files: {
    type: 'gauge',
    help: 'Files in the _delta_log of a table (commits, checkpoints) after its last log cleanup',
    labels: ['table'],
    processes: ['worker'],
  },
  delta_maintenance_compacted_bytes_total: {
    type: 'counter',
    help: 'Bytes of small data files rewritten into larger ones by compaction',
    labels: ['table'],
    processes: ['worker'],
  },
  delta_maintenance_deleted_files_total: {
    type: 'counter',
    help: 'Files deleted by maintenance: log (expired commits and checkpoints), data (vacuumed removed files)',
    labels: ['table', 'kind'],
    processes: ['worker'],
  },
  pipeline_maintenance_last_success_timestamp_seconds: {
    type: 'gauge',
    help: 'Unix time the last maintenance run of a target (a table, or side-files) completed',
    labels: ['target'],
    processes: ['worker'],
  },
  pipeline_side_files_deleted_total: {
    type: 'counter',
    help: 'Side files deleted by retention, by kind (claim_check, quarantine, archive_input)',
    labels: ['kind'],
    processes: ['worker'],
  },
  // ---- worker: object store (OneLake, or the local lakehouse folder)
  onelake_operations_total: {
    type: 'counter',
    help: 'Object store operations (OneLake, or the local lakehouse folder) by outcome',
    labels: ['operation', 'status'],
    processes: ['worker'],
  },
  onelake_operation_duration_seconds: {
    type: 'histogram',
    help: 'Duration of object store operations',
    labels: ['operation'],
    processes: ['worker'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 120],
  },
  onelake_bytes_transferred_total: {
    type: 'counter',
    help: 'Bytes written to or read from the object store',
    labels: ['operation'],
    processes: ['worker'],
  },
  onelake_operation_errors_total: {
    type: 'counter',
    help: 'Failed object store operations by error type (auth, not_found, timeout, unknown)',
    labels: ['operation', 'error_type'],
    processes: ['worker'],
  },
  // ---- worker: the ClaimX API (claimx enrichment and link refresh)
  claimx_api_requests_total: {
    type: 'counter',
    help: 'ClaimX API requests by endpoint template (ids replaced by {id}) and HTTP status (timeout, error when none)',
    labels: ['method', 'endpoint', 'status'],
    processes: ['worker'],
  },
  claimx_api_request_duration_seconds: {
    type: 'histogram',
    help: 'Duration of ClaimX API requests by endpoint template',
    labels: ['method', 'endpoint'],
    processes: ['worker'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  // ---- both: memory
  pipeline_memory_bytes: {
    type: 'gauge',
    help: 'Memory of the process by area: heap_used, heap_total, external, array_buffers (main thread), heap_live (main-thread heap in use just after its last full GC: its live objects, what a leak grows); worker also parquet_thread_heap_used, parquet_thread_external and parquet_wasm (its WebAssembly memory, part of its external; freed by replacing the thread)',
    labels: ['area'],
    processes: BOTH,
  },
  // ---- both: circuit breakers
  kafka_circuit_breaker_state: {
    type: 'gauge',
    help: 'Circuit breaker state per component: 0 closed, 1 open, 2 half-open',
    labels: ['component'],
    processes: BOTH,
  },
  kafka_circuit_breaker_failures_total: {
    type: 'counter',
    help: 'Failures counted by a circuit breaker (permanent errors are not counted), per component',
    labels: ['component'],
    processes: BOTH,
  },
  kafka_circuit_breaker_evictions_total: {
    type: 'counter',
    help: 'Download host breakers dropped (with their series) because more than BREAKER_MAX_HOSTS hosts were in use',
    labels: [],
    processes: BOTH,
  },
} as const satisfies Record<string, MetricDef>;

export type MetricName = keyof typeof METRICS;

function options<N extends MetricName>(registry: Registry, name: N) {
  const def: MetricDef = METRICS[name];
  return { name, help: def.help, labelNames: [...def.labels], registers: [registry] };
}

export function counter(registry: Registry, name: MetricName): Counter {
  return new Counter(options(registry, name));
}

/** `collect`, if given, sets the gauge's values when /metrics is read. */
export function gauge(registry: Registry, name: MetricName, collect?: (g: Gauge) => void): Gauge {
  return new Gauge({
    ...options(registry, name),
    ...(collect
      ? {
          collect(this: Gauge) {
            collect(this);
          },
        }
      : {}),
  });
}

export function histogram(registry: Registry, name: MetricName): Histogram {
  const def: MetricDef = METRICS[name];
  return new Histogram({ ...options(registry, name), buckets: [...(def.buckets ?? LATENCY_BUCKETS)] });
}

/**
 * Metrics of the Temporal SDK's own exporter (worker, TEMPORAL_SDK_METRICS_PORT) that alerts and dashboards use.
 * Not ours to define; test/integration/worker-memory.test.ts checks a running worker serves them.
 */
export const SDK_METRICS = {
  temporal_worker_task_slots_available: ['namespace', 'task_queue', 'worker_type'],
  temporal_worker_task_slots_used: ['namespace', 'task_queue', 'worker_type'],
  temporal_num_pollers: ['namespace', 'task_queue', 'poller_type'],
  temporal_activity_schedule_to_start_latency: ['namespace', 'task_queue'],
  temporal_workflow_task_schedule_to_start_latency: ['namespace', 'task_queue'],
  temporal_activity_execution_latency: ['namespace', 'task_queue', 'activity_type', 'workflow_type'],
  temporal_workflow_completed: ['namespace', 'task_queue', 'workflow_type'],
} as const satisfies Record<string, readonly string[]>;
