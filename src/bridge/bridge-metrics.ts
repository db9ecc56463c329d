import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The bridge's metrics, behind named methods so call sites never build metric names or labels themselves. */
export class BridgeMetrics {
  private readonly consumed: Counter;
  private readonly starts: Counter;
  private readonly startSeconds: Histogram;
  private readonly pausedGauge: Gauge;
  private readonly assigned: Gauge;
  private readonly connection: Gauge;

  constructor(
    registry: Registry,
    private readonly topic: string,
  ) {
    this.consumed = new Counter({
      name: 'kafka_messages_consumed_total',
      help: 'Messages handed to Temporal (started, duplicate or DLQ entry)',
      labelNames: ['topic', 'kind'],
      registers: [registry],
    });
    this.starts = new Counter({
      name: 'pipeline_workflow_starts_total',
      help: 'Workflow start attempts by outcome',
      labelNames: ['outcome', 'kind'],
      registers: [registry],
    });
    this.startSeconds = new Histogram({
      name: 'pipeline_workflow_start_duration_seconds',
      help: 'Latency of accepted workflow starts',
      registers: [registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.pausedGauge = new Gauge({
      name: 'bridge_paused_partitions',
      help: 'Partitions paused because Temporal does not accept starts',
      registers: [registry],
    });
    this.assigned = new Gauge({
      name: 'kafka_consumer_assigned_partitions',
      help: 'Partitions assigned to this consumer',
      labelNames: ['topic'],
      registers: [registry],
    });
    this.connection = new Gauge({
      name: 'kafka_connection_status',
      help: '1 when the consumer is connected, else 0',
      labelNames: ['topic'],
      registers: [registry],
    });
  }

  workflowStart(outcome: 'started' | 'duplicate' | 'error', kind: 'event' | 'invalid', seconds: number): void {
    this.starts.inc({ outcome, kind });
    if (outcome !== 'error') {
      this.consumed.inc({ topic: this.topic, kind });
      this.startSeconds.observe(seconds);
    }
  }

  paused(partitions: number): void {
    this.pausedGauge.set(partitions);
  }

  assignedPartitions(topic: string, n: number): void {
    this.assigned.set({ topic }, n);
  }

  connected(up: boolean): void {
    this.connection.set({ topic: this.topic }, up ? 1 : 0);
  }
}
