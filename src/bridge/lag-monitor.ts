import type { Admin } from 'kafkajs';
import type { Gauge, Registry } from 'prom-client';
import { gauge } from '../observability/metric-catalogue';
import type { Logger } from '../observability/logger';
import { refreshEvery } from '../observability/refresh-timer';

/** One partition's position: the group's committed offset (or the earliest retained one), the end, the lag. */
export interface PartitionLag {
  readonly partition: number;
  readonly committed: number | null;
  readonly from: number;
  readonly end: number;
  readonly lag: number;
}

/**
 * The consumer group's lag on `topic`, per partition, from the broker's offsets (end offset − committed offset; a
 * partition the group never committed counts from its earliest retained offset).
 */
export async function readLag(admin: Admin, topic: string, group: string): Promise<PartitionLag[]> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: group, topics: [topic] }),
  ]);
  return ends
    .map((end) => {
      const c = committed.partitions.find((p) => p.partition === end.partition);
      const known = c && Number(c.offset) >= 0 ? Number(c.offset) : null;
      const from = known ?? Number(end.low);
      return {
        partition: end.partition,
        committed: known,
        from,
        end: Number(end.high),
        lag: Math.max(0, Number(end.high) - from),
      };
    })
    .sort((a, b) => a.partition - b.partition);
}

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
    let total = 0;
    for (const p of await readLag(this.admin, this.topic, this.group)) {
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
