import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { counter, gauge, histogram } from '../observability/metric-catalogue';

export type ConsumedStatus = 'success' | 'duplicate' | 'invalid';

/** The bridge's metrics (see metric-catalogue.ts), behind named methods: call sites never build names or labels. */
export class BridgeMetrics {
  private readonly consumedTotal: Counter;
  private readonly errors: Counter;
  private readonly processingSeconds: Histogram;
  private readonly starts: Counter;
  private readonly startSeconds: Histogram;
  private readonly pausedGauge: Gauge;
  private readonly stuckGauge: Gauge;
  private readonly assigned: Gauge;
  private readonly connection: Gauge;
  private readonly openWorkflows: Gauge;
  private readonly eagerStarts?: Counter;
  private readonly base: { topic: string; consumer_group: string };

  /** `eagerStarts`: this bridge asks for eager workflow start (the combined process) and counts how often it happened. */
  constructor(registry: Registry, topic: string, consumerGroup: string, eagerStarts = false) {
    this.base = { topic, consumer_group: consumerGroup };
    this.consumedTotal = counter(registry, 'kafka_messages_consumed_total');
    this.errors = counter(registry, 'kafka_processing_errors_total');
    this.processingSeconds = histogram(registry, 'kafka_message_processing_duration_seconds');
    this.starts = counter(registry, 'pipeline_workflow_starts_total');
    this.startSeconds = histogram(registry, 'pipeline_workflow_start_duration_seconds');
    this.pausedGauge = gauge(registry, 'bridge_paused_partitions');
    this.stuckGauge = gauge(registry, 'bridge_stuck_partitions');
    this.assigned = gauge(registry, 'kafka_consumer_assigned_partitions');
    this.connection = gauge(registry, 'kafka_connection_status');
    this.openWorkflows = gauge(registry, 'pipeline_open_workflows');
    // Present from the start, so alerts and dashboards see 0 rather than no data.
    for (const status of ['success', 'duplicate', 'invalid'] as const)
      this.consumedTotal.inc({ ...this.base, status }, 0);
    this.pausedGauge.set(0);
    this.stuckGauge.set(0);
    this.assigned.set(this.base, 0);
    this.connection.set({ component: 'consumer' }, 0);
    this.connection.set({ component: 'temporal' }, 0);
    if (eagerStarts) {
      this.eagerStarts = counter(registry, 'pipeline_workflow_eager_starts_total');
      for (const eager of ['true', 'false']) this.eagerStarts.inc({ eager }, 0);
    }
  }

  /** An accepted start that asked for eager start: `eagerly`, the server handed its first task to this process. */
  eagerStart(eagerly: boolean): void {
    this.eagerStarts?.inc({ eager: String(eagerly) });
  }

  workflowStart(outcome: 'started' | 'duplicate' | 'error', kind: 'event' | 'invalid', seconds: number): void {
    this.starts.inc({ outcome, kind });
    if (outcome !== 'error') this.startSeconds.observe(seconds);
  }

  /** A message was handed over; `seconds` from fetch to accepted start. */
  consumed(status: ConsumedStatus, seconds: number): void {
    this.consumedTotal.inc({ ...this.base, status });
    this.processingSeconds.observe(this.base, seconds);
  }

  processingError(category: string): void {
    this.errors.inc({ ...this.base, error_category: category });
  }

  paused(partitions: number): void {
    this.pausedGauge.set(partitions);
  }

  stuck(partitions: number): void {
    this.stuckGauge.set(partitions);
  }

  assignedPartitions(n: number): void {
    this.assigned.set(this.base, n);
  }

  connected(component: 'consumer' | 'temporal', up: boolean): void {
    this.connection.set({ component }, up ? 1 : 0);
  }

  runningWorkflows(n: number): void {
    this.openWorkflows.set(n);
  }
}
