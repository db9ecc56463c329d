import type { Gauge, Registry } from 'prom-client';
import { gauge } from '../observability/metric-catalogue';
import type { Logger } from '../observability/logger';
import { domainNames } from '../domains/registry';
import { refreshEvery } from '../observability/refresh-timer';
import type { DlqEntry, DlqService } from './dlq-service';
import type { RunFailure } from './history';
import type { DlqFilter } from './query';

/** History reads (one per new failure) of one refresh: a burst of failures is archived over several refreshes. */
const ARCHIVE_PER_REFRESH = 200;
/** Archive writes failing one after the other that end a round early: the store is down, not one entry. */
const FAILURES_IN_A_ROW = 5;

/**
 * Exports the DLQ as `dlq list` counts it (each failed event once; replayed, resolved and superseded runs never),
 * refreshed on a timer: `pipeline_dlq_depth{domain,category,stage}`, `pipeline_dlq_oldest_failure_age_seconds`
 * and the namespace retention the oldest failure must stay under. Each refresh also archives the entries not yet
 * in the lakehouse archive (DlqArchive) and exports what is left unarchived
 * (`pipeline_dlq_unarchived_oldest_age_seconds`). One runs per deployment, in the `kafka-pipeline dlq-monitor` process
 * (src/cli/processes/dlq-monitor.ts); should two overlap (a rolling update), the archive still keeps one row per run.
 */
export class DlqMonitor {
  private readonly depth: Gauge;
  private readonly oldest: Gauge;
  private readonly retention: Gauge;
  private readonly unarchived: Gauge;
  private readonly unarchivedOldest: Gauge;
  /** Runs known to be archived (loaded from the table once, then kept up to date by this monitor). */
  private archived?: Set<string>;
  /** Runs that could not be archived (history unreadable or write refused), already reported. */
  private readonly failing = new Set<string>();
  private stopTimer?: () => Promise<void>;

  constructor(
    registry: Registry,
    private readonly dlq: DlqService,
    private readonly log: Logger,
    private readonly filter: DlqFilter = {},
  ) {
    this.depth = gauge(registry, 'pipeline_dlq_depth');
    this.oldest = gauge(registry, 'pipeline_dlq_oldest_failure_age_seconds');
    this.retention = gauge(registry, 'temporal_namespace_retention_seconds');
    this.unarchived = gauge(registry, 'pipeline_dlq_unarchived');
    this.unarchivedOldest = gauge(registry, 'pipeline_dlq_unarchived_oldest_age_seconds');
  }

  async refresh(): Promise<number> {
    const [entries, retention] = await Promise.all([this.dlq.entries(this.filter), this.dlq.retentionSeconds()]);
    this.depth.reset();
    this.oldest.reset();
    const counts = new Map<string, { labels: Record<string, string>; n: number }>();
    for (const e of entries) {
      const labels = { domain: e.domain ?? 'unknown', category: e.category ?? 'unknown', stage: e.stage ?? 'unknown' };
      const key = `${labels.domain}\u0000${labels.category}\u0000${labels.stage}`;
      counts.set(key, { labels, n: (counts.get(key)?.n ?? 0) + 1 });
    }
    for (const { labels, n } of counts.values()) this.depth.set(labels, n);
    for (const [domain, t] of byDomain(entries)) this.oldest.set({ domain }, t.oldest);
    if (retention !== null) this.retention.set(retention);
    await this.archiveNew(entries);
    return entries.length;
  }

  /**
   * Archives the entries the archive does not hold yet (oldest first, those that failed before last, at most
   * ARCHIVE_PER_REFRESH), then exports what is still unarchived per domain. An entry that cannot be archived (its
   * history unreadable, e.g. encrypted with a key no longer configured, or its write refused) is logged and skipped,
   * so no single entry holds back the others; the round goes on until FAILURES_IN_A_ROW writes in a row failed (the
   * store itself is down). Skipped entries are retried next refresh, and the gauges show what is left.
   */
  private async archiveNew(entries: readonly DlqEntry[]): Promise<void> {
    let failure: unknown;
    let skipped = 0;
    try {
      this.archived ??= await this.dlq.archive.archivedRunIds();
      const pending = entries.filter((e) => !this.archived!.has(e.runId)).reverse();
      const open = new Set(pending.map((e) => e.runId));
      for (const runId of this.failing) if (!open.has(runId)) this.failing.delete(runId); // resolved or gone
      const order = [
        ...pending.filter((e) => !this.failing.has(e.runId)),
        ...pending.filter((e) => this.failing.has(e.runId)),
      ];
      let inARow = 0;
      for (const e of order.slice(0, ARCHIVE_PER_REFRESH)) {
        if (inARow >= FAILURES_IN_A_ROW) break;
        const failed = await this.archiveOne(e);
        if (!failed) {
          inARow = 0;
          continue;
        }
        failure ??= failed.error;
        skipped++;
        // An unreadable history says nothing about the store; only failed writes in a row end the round.
        inARow = failed.write ? inARow + 1 : 0;
      }
    } catch (err) {
      failure = err;
    }
    this.unarchived.reset();
    this.unarchivedOldest.reset();
    for (const [domain, t] of byDomain(entries.filter((e) => !this.archived?.has(e.runId)))) {
      this.unarchived.set({ domain }, t.n);
      this.unarchivedOldest.set({ domain }, t.oldest);
    }
    if (skipped > 0) this.log.warn('DLQ entries not archived this round', { count: skipped });
    if (failure) throw failure;
  }

  /** Archives one entry; when it could not be, why (already logged) and whether it was the write that failed. */
  private async archiveOne(e: DlqEntry): Promise<{ error: unknown; write: boolean } | null> {
    const ids = { workflow_id: e.workflowId, trace_id: e.traceId, run_id: e.runId };
    let write = false;
    try {
      const run: RunFailure = await this.dlq.run(e);
      write = true;
      await this.dlq.archive.recordFailure(e, run);
    } catch (error) {
      // Said once per run at error level (the gauges and the alert keep saying it), then at debug.
      const level = this.failing.has(e.runId) ? 'debug' : 'error';
      this.failing.add(e.runId);
      const what = write ? 'writing it to the archive failed' : 'its history cannot be read';
      this.log[level](`DLQ entry not archived: ${what}`, { ...ids, error: String(error) });
      return { error, write };
    }
    this.failing.delete(e.runId);
    this.archived!.add(e.runId);
    this.log.info('DLQ entry archived', ids);
    return null;
  }

  start(intervalMs: number): void {
    this.stopTimer = refreshEvery(
      intervalMs,
      () => this.refresh(),
      this.log,
      'DLQ depth not refreshed or entries not archived',
    );
  }

  /** Stops refreshing; resolves once a refresh in flight has ended. */
  async stop(): Promise<void> {
    await this.stopTimer?.();
  }
}

/**
 * Entries per domain and the age in seconds of the oldest failure of each; every domain is present (0 while it has
 * none), so its gauges exist from the first refresh.
 */
function byDomain(entries: readonly DlqEntry[]): Map<string, { n: number; oldest: number }> {
  const now = Date.now();
  const tally = new Map<string, { n: number; oldest: number }>(domainNames().map((d) => [d, { n: 0, oldest: 0 }]));
  for (const e of entries) {
    const domain = e.domain ?? 'unknown';
    const t = tally.get(domain) ?? { n: 0, oldest: 0 };
    const age = e.failedAt ? Math.round((now - Date.parse(e.failedAt)) / 1000) : 0;
    tally.set(domain, { n: t.n + 1, oldest: Math.max(t.oldest, age) });
  }
  return tally;
}
