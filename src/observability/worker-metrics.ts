import type { Counter, Histogram, Registry } from 'prom-client';
import { ERROR_CATEGORIES, FAILED_STAGES } from '../shared/errors';
import { counter, histogram } from './metric-catalogue';

/** The series that exist (at 0) from the start: every domain's, every Delta table's the worker writes. */
export interface MetricSeries {
  readonly domains: readonly string[];
  readonly tables: readonly string[];
}

/** The worker's metrics (see metric-catalogue.ts), behind named methods. */
export class WorkerMetrics {
  private readonly deltaWrites: Counter;
  private readonly deltaRows: Counter;
  private readonly deltaSeconds: Histogram;
  private readonly storeOps: Counter;
  private readonly storeSeconds: Histogram;
  private readonly storeBytes: Counter;
  private readonly storeErrors: Counter;
  private readonly downloads: Counter;
  private readonly downloadSeconds: Histogram;
  private readonly dlqEntries: Counter;
  private readonly replays: Counter;
  private readonly endToEnd: Histogram;
  private readonly claimxRequests: Counter;
  private readonly claimxSeconds: Histogram;

  constructor(registry: Registry, series: MetricSeries = { domains: [], tables: [] }) {
    this.deltaWrites = counter(registry, 'delta_writes_total');
    this.deltaRows = counter(registry, 'delta_events_written_total');
    this.deltaSeconds = histogram(registry, 'delta_write_duration_seconds');
    this.storeOps = counter(registry, 'onelake_operations_total');
    this.storeSeconds = histogram(registry, 'onelake_operation_duration_seconds');
    this.storeBytes = counter(registry, 'onelake_bytes_transferred_total');
    this.storeErrors = counter(registry, 'onelake_operation_errors_total');
    this.downloads = counter(registry, 'pipeline_downloads_total');
    this.downloadSeconds = histogram(registry, 'pipeline_download_duration_seconds');
    this.dlqEntries = counter(registry, 'pipeline_dlq_entries_total');
    this.replays = counter(registry, 'pipeline_dlq_replays_total');
    this.endToEnd = histogram(registry, 'pipeline_end_to_end_latency_seconds');
    this.claimxRequests = counter(registry, 'claimx_api_requests_total');
    this.claimxSeconds = histogram(registry, 'claimx_api_request_duration_seconds');
    // Present from the start, so ratios in alerts and dashboards have a denominator series.
    for (const table of series.tables) {
      for (const status of ['success', 'error']) this.deltaWrites.inc({ table, status }, 0);
    }
    this.downloads.inc({ status: 'success', error_category: 'none' }, 0);
    // A counter series born with its first increments hides them from increase()/rate() (no earlier sample):
    // the DLQ series exist at 0 from the start, so the first failures after a start are seen by the alerts.
    for (const domain of series.domains) {
      for (const category of ERROR_CATEGORIES)
        for (const stage of FAILED_STAGES) this.dlqEntries.inc({ domain, category, stage }, 0);
      for (const outcome of ['completed', 'failed']) this.replays.inc({ domain, outcome }, 0);
    }
  }

  deltaCommit(table: string, ok: boolean, seconds: number, rows: number): void {
    this.deltaWrites.inc({ table, status: ok ? 'success' : 'error' });
    this.deltaSeconds.observe({ table }, seconds);
    if (ok && rows > 0) this.deltaRows.inc({ table }, rows);
  }

  storeOperation(operation: string, seconds: number, bytes: number, error?: unknown): void {
    this.storeOps.inc({ operation, status: error === undefined ? 'success' : 'error' });
    this.storeSeconds.observe({ operation }, seconds);
    if (bytes > 0) this.storeBytes.inc({ operation }, bytes);
    if (error !== undefined) this.storeErrors.inc({ operation, error_type: errorType(error) });
  }

  /** One transfer attempt; `errorCategory` from the error vocabulary (src/shared/errors.ts) when it failed. */
  download(seconds: number, errorCategory?: string): void {
    const status = errorCategory === undefined ? 'success' : 'error';
    this.downloads.inc({ status, error_category: errorCategory ?? 'none' });
    this.downloadSeconds.observe({ status }, seconds);
  }

  /** One ClaimX API request: `endpoint` is the path template, `status` the HTTP status or timeout / error. */
  claimxApiRequest(method: string, endpoint: string, status: string, seconds: number): void {
    this.claimxRequests.inc({ method, endpoint, status });
    this.claimxSeconds.observe({ method, endpoint }, seconds);
  }

  /** A run finished (reported by the workflow through the `outcomes` sink). */
  runCompleted(domain: string, eventTime: string | null, replay: boolean): void {
    const t = eventTime ? Date.parse(eventTime) : NaN;
    if (!Number.isNaN(t)) this.endToEnd.observe({ domain }, Math.max(0, (Date.now() - t) / 1000));
    if (replay) this.replays.inc({ domain, outcome: 'completed' });
  }

  runFailed(domain: string, category: string, stage: string, replay: boolean): void {
    this.dlqEntries.inc({ domain, category, stage });
    if (replay) this.replays.inc({ domain, outcome: 'failed' });
  }
}

function errorType(err: unknown): string {
  const status = (err as { statusCode?: number })?.statusCode;
  const code = (err as { code?: string })?.code;
  if (status === 401 || status === 403 || code === 'EACCES' || code === 'EPERM') return 'auth';
  if (status === 404 || code === 'ENOENT') return 'not_found';
  if (code === 'ETIMEDOUT' || (err as Error)?.name === 'TimeoutError') return 'timeout';
  return 'unknown';
}
