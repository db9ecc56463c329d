import type { Admin } from 'kafkajs';
import type { Gauge, Registry } from 'prom-client';
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
  private stopTimer?: () => void;

  constructor(
    registry: Registry,
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly group: string,
    private readonly log: Logger,
  ) {
    this.lag = gauge(registry, 'kafka_consumer_lag');
    this.offset = gauge(registry, 'kafka_consumer_offset');
  }

  /** Reads the offsets once and updates the gauge; returns the total lag. */
  async refresh(): Promise<number> {
    const [ends, [committed]] = await Promise.all([
      this.admin.fetchTopicOffsets(this.topic),
      this.admin.fetchOffsets({ groupId: this.group, topics: [this.topic] }),
    ]);
    let total = 0;
    for (const end of ends) {
      const c = committed.partitions.find((p) => p.partition === end.partition);
      const from = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
      const lag = Math.max(0, Number(end.high) - from);
      total += lag;
      const labels = { topic: this.topic, partition: String(end.partition), consumer_group: this.group };
      this.lag.set(labels, lag);
      this.offset.set(labels, from);
    }
    return total;
  }

  start(intervalMs: number): void {
    this.stopTimer = refreshEvery(intervalMs, () => this.refresh(), this.log, 'consumer lag not refreshed');
  }

  stop(): void {
    this.stopTimer?.();
  }
}
