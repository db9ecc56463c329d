import type { Gauge, Registry } from 'prom-client';
import type { KafkaAdmin } from '../adapters/kafka/kafka-admin';
import { gauge } from '../observability/metric-catalogue';
import type { Logger } from '../observability/logger';
import { refreshEvery } from '../observability/refresh-timer';

/**
 * Consumer lag per partition from the broker's own offsets (end offset − committed offset of the group), on a
 * timer: right even when nothing is consumed (a stuck or stopped bridge shows growing lag), unlike lag computed
 * per processed message. A partition the group never committed counts from its earliest retained offset.
 */
export class LagMonitor {
  private readonly lag: Gauge;
  private readonly offset: Gauge;
  private stopTimer?: () => Promise<void>;

  constructor(
    registry: Registry,
    private readonly admin: Pick<KafkaAdmin, 'readLag'>,
    private readonly topic: string,
    private readonly group: string,
    private readonly log: Logger,
  ) {
    this.lag = gauge(registry, 'kafka_consumer_lag');
    this.offset = gauge(registry, 'kafka_consumer_offset');
  }

  /** Reads the offsets once and updates the gauge; returns the total lag. */
  async refresh(): Promise<number> {
    let total = 0;
    for (const p of await this.admin.readLag(this.topic, this.group)) {
      total += p.lag;
      const labels = { topic: this.topic, partition: String(p.partition), consumer_group: this.group };
      this.lag.set(labels, p.lag);
      this.offset.set(labels, p.from);
    }
    return total;
  }

  start(intervalMs: number): void {
    this.stopTimer = refreshEvery(intervalMs, () => this.refresh(), this.log, 'consumer lag not refreshed');
  }

  /** Stops refreshing; resolves once a refresh in flight has ended. */
  async stop(): Promise<void> {
    await this.stopTimer?.();
  }
}
