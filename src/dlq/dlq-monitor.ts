import type { Gauge, Registry } from 'prom-client';
import { gauge } from '../observability/metric-catalogue';
import type { Logger } from '../observability/logger';
import { XACT_DOMAIN } from '../shared/ids';
import { refreshEvery } from '../observability/refresh-timer';
import type { DlqService } from './dlq-service';
import type { DlqFilter } from './query';

/**
 * Exports the DLQ as `dlq list` counts it (each failed event once; replayed, resolved and superseded runs never),
 * refreshed on a timer: `pipeline_dlq_depth{domain,category,stage}`, `pipeline_dlq_oldest_failure_age_seconds`
 * and the namespace retention the oldest failure must stay under.
 */
export class DlqMonitor {
  private readonly depth: Gauge;
  private readonly oldest: Gauge;
  private readonly retention: Gauge;
  private stopTimer?: () => void;

  constructor(
    registry: Registry,
    private readonly dlq: DlqService,
    private readonly log: Logger,
    private readonly filter: DlqFilter = {},
  ) {
    this.depth = gauge(registry, 'pipeline_dlq_depth');
    this.oldest = gauge(registry, 'pipeline_dlq_oldest_failure_age_seconds');
    this.retention = gauge(registry, 'temporal_namespace_retention_seconds');
  }

  async refresh(): Promise<number> {
    const [entries, retention] = await Promise.all([this.dlq.entries(this.filter), this.dlq.retentionSeconds()]);
    this.depth.reset();
    this.oldest.reset();
    const counts = new Map<string, { labels: Record<string, string>; n: number }>();
    const oldest = new Map<string, number>();
    const now = Date.now();
    for (const e of entries) {
      const labels = { domain: e.domain ?? 'unknown', category: e.category ?? 'unknown', stage: e.stage ?? 'unknown' };
      const key = `${labels.domain}\u0000${labels.category}\u0000${labels.stage}`;
      counts.set(key, { labels, n: (counts.get(key)?.n ?? 0) + 1 });
      const age = e.failedAt ? (now - Date.parse(e.failedAt)) / 1000 : 0;
      oldest.set(labels.domain, Math.max(oldest.get(labels.domain) ?? 0, age));
    }
    for (const { labels, n } of counts.values()) this.depth.set(labels, n);
    for (const [domain, age] of oldest) this.oldest.set({ domain }, Math.round(age));
    if (!oldest.has(XACT_DOMAIN)) this.oldest.set({ domain: XACT_DOMAIN }, 0); // present (0) while empty
    if (retention !== null) this.retention.set(retention);
    return entries.length;
  }

  start(intervalMs: number): void {
    this.stopTimer = refreshEvery(intervalMs, () => this.refresh(), this.log, 'DLQ depth not refreshed');
  }

  stop(): void {
    this.stopTimer?.();
  }
}
