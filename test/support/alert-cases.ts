/**
 * The promtool unit-test case of each alert in deploy/prometheus/alerts.yml (used by test/unit/ops/alert-rules.test.ts):
 * input series that make it fire, when, with which labels, and the variant just under its threshold.
 */
export type Series = Record<string, string>;
/**
 * (rate() over a window longer than the data so far is lower than the final rate, so a rate alert turns true some
 * minutes in; `at` allows for that.)
 * One promtool unit test per alert: `series` make it fire at `at` with the alert's own `labels` (besides the rule's),
 * it must not have fired yet at `before` (its `for:`), and with `below` (replacing or adding series, just under the
 * threshold) it must not fire at `at`.
 */
export interface Case {
  series: Series;
  at: string;
  before: string;
  labels: Record<string, string>;
  below: Series;
}
const tg = 'topic="xact.events.raw",consumer_group="xact-event-ingester"';
const bucket = (name: string, labels: string, les: Record<string, string>): Series =>
  Object.fromEntries(
    Object.entries(les).map(([le, v]) => [`${name}_bucket{${labels}${labels ? ',' : ''}le="${le}"}`, v]),
  );
const lagLabels = { topic: 'xact.events.raw', consumer_group: 'xact-event-ingester' };

export const CASES: Record<string, Case> = {
  KafkaConsumerLagHigh: {
    // Two bridge replicas report the same partitions: the rule must not add them up.
    series: {
      [`kafka_consumer_lag{${tg},partition="0",instance="b1"}`]: '6000x40',
      [`kafka_consumer_lag{${tg},partition="0",instance="b2"}`]: '6000x40',
      [`kafka_consumer_lag{${tg},partition="1",instance="b1"}`]: '5000x40',
    },
    at: '6m',
    before: '4m',
    labels: lagLabels,
    below: { [`kafka_consumer_lag{${tg},partition="1",instance="b1"}`]: '3999x40' },
  },
  KafkaConsumerLagWarning: {
    series: {
      [`kafka_consumer_lag{${tg},partition="0",instance="b1"}`]: '3000x40',
      [`kafka_consumer_lag{${tg},partition="0",instance="b2"}`]: '3000x40',
      [`kafka_consumer_lag{${tg},partition="1",instance="b1"}`]: '2001x40',
    },
    at: '11m',
    before: '9m',
    labels: lagLabels,
    below: { [`kafka_consumer_lag{${tg},partition="1",instance="b1"}`]: '1999x40' },
  },
  KafkaConsumerNoPartitions: {
    series: {
      [`kafka_consumer_assigned_partitions{${tg},instance="b1"}`]: '0x20',
      [`kafka_consumer_assigned_partitions{${tg},instance="b2"}`]: '0x20',
    },
    at: '4m',
    before: '2m',
    labels: lagLabels,
    below: { [`kafka_consumer_assigned_partitions{${tg},instance="b2"}`]: '6x20' },
  },
  KafkaConsumerDisconnected: {
    series: { 'kafka_connection_status{component="consumer",instance="b1",service="bridge"}': '1 1 0x10' },
    at: '2m',
    before: '1m',
    labels: { instance: 'b1', service: 'bridge' },
    below: { 'kafka_connection_status{component="consumer",instance="b1",service="bridge"}': '1x10' },
  },
  KafkaProducerDisconnected: {
    series: { 'kafka_connection_status{component="temporal",instance="b1",service="bridge"}': '1 1 0x10' },
    at: '2m',
    before: '1m',
    labels: { instance: 'b1', service: 'bridge' },
    below: { 'kafka_connection_status{component="temporal",instance="b1",service="bridge"}': '1x10' },
  },
  BridgePausedTooLong: {
    series: { 'bridge_paused_partitions{instance="b1"}': '2x30' },
    at: '11m',
    before: '9m',
    labels: { instance: 'b1' },
    below: { 'bridge_paused_partitions{instance="b1"}': '0x30' },
  },
  BridgePartitionStuck: {
    series: { 'bridge_stuck_partitions{instance="b1"}': '1x10' },
    at: '2m',
    before: '30s',
    labels: { instance: 'b1' },
    below: { 'bridge_stuck_partitions{instance="b1"}': '0x10' },
  },
  KafkaDLQGrowthRapid: {
    series: { 'pipeline_dlq_entries_total{domain="xact",category="transient",stage="download"}': '0+20x40' },
    at: '8m',
    before: '5m',
    labels: { domain: 'xact' },
    below: { 'pipeline_dlq_entries_total{domain="xact",category="transient",stage="download"}': '0+4x40' },
  },
  KafkaDLQGrowthWarning: {
    series: { 'pipeline_dlq_entries_total{domain="xact",category="permanent",stage="download"}': '0+1x60' },
    at: '15m',
    before: '8m',
    labels: { domain: 'xact' },
    below: { 'pipeline_dlq_entries_total{domain="xact",category="permanent",stage="download"}': '0+0.1x60' },
  },
  KafkaDLQSizeHigh: {
    // Both bridge replicas export the same depth: de-duplicated per instance, not summed across them.
    series: {
      'pipeline_dlq_depth{domain="xact",category="transient",stage="download",instance="b1"}': '700x80',
      'pipeline_dlq_depth{domain="xact",category="permanent",stage="download",instance="b1"}': '400x80',
      'pipeline_dlq_depth{domain="xact",category="transient",stage="download",instance="b2"}': '700x80',
      'pipeline_dlq_depth{domain="xact",category="permanent",stage="download",instance="b2"}': '400x80',
    },
    at: '31m',
    before: '29m',
    labels: { domain: 'xact' },
    below: {
      'pipeline_dlq_depth{domain="xact",category="permanent",stage="download",instance="b1"}': '299x80',
      'pipeline_dlq_depth{domain="xact",category="permanent",stage="download",instance="b2"}': '299x80',
    },
  },
  PipelineDLQOldestNearRetention: {
    series: {
      'pipeline_dlq_oldest_failure_age_seconds{domain="xact",instance="b1"}': '50000x30',
      'temporal_namespace_retention_seconds{instance="b1"}': '86400x30',
    },
    at: '11m',
    before: '9m',
    labels: { domain: 'xact' },
    below: { 'pipeline_dlq_oldest_failure_age_seconds{domain="xact",instance="b1"}': '40000x30' },
  },
  PipelineDLQUnarchivedNearRetention: {
    series: {
      'pipeline_dlq_unarchived_oldest_age_seconds{domain="xact",instance="b1"}': '50000x30',
      'temporal_namespace_retention_seconds{instance="b1"}': '86400x30',
    },
    at: '11m',
    before: '9m',
    labels: { domain: 'xact' },
    below: { 'pipeline_dlq_unarchived_oldest_age_seconds{domain="xact",instance="b1"}': '40000x30' },
  },
  KafkaErrorRateHigh: {
    series: {
      [`kafka_processing_errors_total{${tg},error_category="temporal_unavailable"}`]: '0+2x30',
      [`kafka_messages_consumed_total{${tg},status="success"}`]: '0+100x30',
    },
    at: '7m',
    before: '5m',
    labels: {},
    below: { [`kafka_processing_errors_total{${tg},error_category="temporal_unavailable"}`]: '0+0.5x30' },
  },
  KafkaDownloadFailureRateHigh: {
    series: {
      'pipeline_downloads_total{status="error",error_category="transient"}': '0+1x30',
      'pipeline_downloads_total{status="success",error_category="none"}': '0+9x30',
    },
    at: '7m',
    before: '5m',
    labels: {},
    below: { 'pipeline_downloads_total{status="error",error_category="transient"}': '0+0.4x30' },
  },
  KafkaProducerErrorsHigh: {
    series: { 'pipeline_workflow_starts_total{outcome="error",kind="event"}': '0+60x30' },
    at: '9m',
    before: '5m',
    labels: {},
    below: { 'pipeline_workflow_starts_total{outcome="error",kind="event"}': '0+15x30' },
  },
  KafkaCircuitBreakerOpen: {
    series: { 'kafka_circuit_breaker_state{component="temporal",service="bridge",instance="b1"}': '0 0 1x10' },
    at: '3m',
    before: '2m',
    labels: { component: 'temporal', service: 'bridge' },
    below: { 'kafka_circuit_breaker_state{component="temporal",service="bridge",instance="b1"}': '0 0 2x10' },
  },
  KafkaCircuitBreakerHalfOpen: {
    series: { 'kafka_circuit_breaker_state{component="onelake_client",service="worker",instance="w1"}': '0 0 2x10' },
    at: '2m',
    before: '1m',
    labels: { component: 'onelake_client', service: 'worker' },
    below: { 'kafka_circuit_breaker_state{component="onelake_client",service="worker",instance="w1"}': '0 0 1x10' },
  },
  KafkaCircuitBreakerFailuresHigh: {
    series: { 'kafka_circuit_breaker_failures_total{component="download:files.example",service="worker"}': '0+300x40' },
    at: '11m',
    before: '8m',
    labels: { component: 'download:files.example', service: 'worker' },
    below: { 'kafka_circuit_breaker_failures_total{component="download:files.example",service="worker"}': '0+60x40' },
  },
  KafkaProcessingLatencyHigh: {
    series: bucket('kafka_message_processing_duration_seconds', tg, {
      '10': '0x30',
      '30': '0+10x30',
      '+Inf': '0+10x30',
    }),
    at: '7m',
    before: '5m',
    labels: {},
    below: bucket('kafka_message_processing_duration_seconds', tg, { '10': '0+10x30' }),
  },
  KafkaProcessingLatencyWarning: {
    series: bucket('kafka_message_processing_duration_seconds', tg, {
      '5': '0x40',
      '10': '0+10x40',
      '+Inf': '0+10x40',
    }),
    at: '12m',
    before: '9m',
    labels: {},
    below: bucket('kafka_message_processing_duration_seconds', tg, { '5': '0+10x40' }),
  },
  KafkaThroughputLow: {
    series: {
      [`kafka_messages_consumed_total{${tg},status="success"}`]: '0+30x50',
      [`kafka_consumer_lag{${tg},partition="0"}`]: '5000x50',
    },
    at: '12m',
    before: '9m',
    labels: {},
    below: { [`kafka_consumer_lag{${tg},partition="0"}`]: '500x50' },
  },
  PipelineEndToEndLatencyHigh: {
    series: bucket('pipeline_end_to_end_latency_seconds', 'domain="xact"', {
      '60': '0x50',
      '120': '0+5x50',
      '+Inf': '0+5x50',
    }),
    at: '13m',
    before: '9m',
    labels: { domain: 'xact' },
    below: bucket('pipeline_end_to_end_latency_seconds', 'domain="xact"', { '60': '0+5x50' }),
  },
  TemporalWorkerSlotsExhausted: {
    series: {
      'temporal_worker_task_slots_available{worker_type="ActivityWorker",task_queue="q",instance="w1"}': '0x30',
    },
    at: '11m',
    before: '9m',
    labels: { instance: 'w1', task_queue: 'q' },
    below: {
      'temporal_worker_task_slots_available{worker_type="ActivityWorker",task_queue="q",instance="w1"}': '3x30',
    },
  },
  TemporalScheduleToStartHigh: {
    series: bucket('temporal_activity_schedule_to_start_latency', 'task_queue="q"', {
      '30': '0x50',
      '60': '0+5x50',
      '+Inf': '0+5x50',
    }),
    at: '13m',
    before: '9m',
    labels: { task_queue: 'q' },
    below: bucket('temporal_activity_schedule_to_start_latency', 'task_queue="q"', { '30': '0+5x50' }),
  },
  PipelineMaintenanceStalled: {
    // The last success at t=0; promtool's time() counts from 0, so the age is the evaluation time.
    series: { 'pipeline_maintenance_last_success_timestamp_seconds{target="xact_events",instance="w1"}': '0x500' },
    at: '3h20m',
    before: '3h10m',
    labels: { target: 'xact_events' },
    // Another worker ran it since (every 30 s): the newest success counts.
    below: { 'pipeline_maintenance_last_success_timestamp_seconds{target="xact_events",instance="w2"}': '0+30x500' },
  },
  DeltaTableTooManyFiles: {
    series: { 'delta_table_max_files_per_partition{table="xact_events",instance="w1"}': '1001x100' },
    at: '35m',
    before: '25m',
    labels: { table: 'xact_events' },
    below: { 'delta_table_max_files_per_partition{table="xact_events",instance="w1"}': '1000x100' },
  },
  KafkaDeltaWriteFailures: {
    series: {
      'delta_writes_total{table="xact_events",status="error"}': '0+1x30',
      'delta_writes_total{table="xact_events",status="success"}': '0+10x30',
    },
    at: '7m',
    before: '4m',
    labels: { table: 'xact_events' },
    below: { 'delta_writes_total{table="xact_events",status="error"}': '0x30' },
  },
  KafkaDeltaWriteLatencyHigh: {
    series: bucket('delta_write_duration_seconds', 'table="xact_attachments"', {
      '30': '0x50',
      '60': '0+5x50',
      '+Inf': '0+5x50',
    }),
    at: '13m',
    before: '9m',
    labels: { table: 'xact_attachments' },
    below: bucket('delta_write_duration_seconds', 'table="xact_attachments"', { '30': '0+5x50' }),
  },
  KafkaDeltaWriteSuccessRateLow: {
    series: {
      'delta_writes_total{table="xact_events",status="error"}': '0+1x50',
      'delta_writes_total{table="xact_events",status="success"}': '0+9x50',
    },
    at: '12m',
    before: '9m',
    labels: { table: 'xact_events' },
    below: { 'delta_writes_total{table="xact_events",status="error"}': '0+0.2x50' },
  },
  KafkaWorkerDead: {
    series: {
      'pipeline_workflow_starts_total{outcome="started",kind="event"}': '0+10x40',
      'delta_writes_total{table="xact_events",status="success"}': '0x40',
    },
    at: '12m',
    before: '9m',
    labels: {},
    below: { 'delta_writes_total{table="xact_events",status="success"}': '0+1x40' },
  },
};
