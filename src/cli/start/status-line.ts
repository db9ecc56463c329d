import type { Logger } from '../../observability/logger';
import { type Sample, scrape, total } from '../../observability/scrape';

/** What `npm start` reports every few seconds, read from the bridges', the worker's and the DLQ monitor's /metrics. */
export interface PipelineCounts {
  /** Messages the bridges consumed. */
  readonly eventsIn: number;
  /** Runs that completed (the worker's end-to-end latency observations). */
  readonly completed: number;
  /** Runs that failed into the DLQ. */
  readonly failed: number;
  readonly lag: number;
  readonly dlqDepth: number;
}

export function countsOf(
  bridge: readonly Sample[] | null,
  worker: readonly Sample[] | null,
  otherBridges: readonly (readonly Sample[] | null)[] = [],
  dlqMonitor: readonly Sample[] | null = null,
): PipelineCounts {
  const consumed = (b: readonly Sample[] | null) => total(b, 'kafka_messages_consumed_total');
  return {
    eventsIn: [bridge, ...otherBridges].reduce((n, b) => n + consumed(b), 0),
    completed: total(worker, 'pipeline_end_to_end_latency_seconds_count'),
    failed: total(worker, 'pipeline_dlq_entries_total'),
    lag: [bridge, ...otherBridges].reduce((n, b) => n + total(b, 'kafka_consumer_lag'), 0),
    dlqDepth: total(dlqMonitor, 'pipeline_dlq_depth'),
  };
}

/** The fields of one status line: the counts, the completion rate since the last line, and who did not answer. */
export function statusFields(
  now: PipelineCounts,
  before: PipelineCounts | null,
  seconds: number,
  silent: readonly string[],
): Record<string, unknown> {
  const rate = before && seconds > 0 ? Math.max(0, now.completed - before.completed) / seconds : null;
  return {
    events_in: now.eventsIn,
    completed: now.completed,
    completed_per_s: rate === null ? null : Number(rate.toFixed(1)),
    failed: now.failed,
    lag: now.lag,
    dlq: now.dlqDepth,
    ...(silent.length > 0 ? { not_answering: silent.join(',') } : {}),
  };
}

/**
 * Logs a status line every `intervalMs` while `npm start` runs (counters are per process start: a restarted
 * process starts again from 0). Returns the function that stops it.
 */
export function startStatusLine(
  urls: { bridge: string; worker: string; otherBridges?: readonly string[]; dlqMonitor?: string },
  log: Logger,
  intervalMs: number,
): () => void {
  let before: { counts: PipelineCounts; at: number } | null = null;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const others = urls.otherBridges ?? [];
    const dlqMonitor = urls.dlqMonitor ? scrape(urls.dlqMonitor) : Promise.resolve(null);
    void Promise.all([scrape(urls.bridge), scrape(urls.worker), dlqMonitor, ...others.map((u) => scrape(u))])
      .then(([bridge, worker, dlq, ...rest]) => {
        const silent = [...(bridge ? [] : ['bridge']), ...(worker ? [] : ['worker'])];
        if (urls.dlqMonitor && !dlq) silent.push('dlq-monitor');
        const counts = countsOf(bridge ?? null, worker ?? null, rest, dlq ?? null);
        rest.forEach((b, k) => b === null && silent.push(`bridge ${others[k]}`));
        const at = Date.now();
        log.info('status', statusFields(counts, before?.counts ?? null, before ? (at - before.at) / 1000 : 0, silent));
        before = { counts, at };
      })
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
