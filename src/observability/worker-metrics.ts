import { Counter, Histogram, type Registry } from 'prom-client';

/** The worker's metrics (names as the seed's alerts use them), behind named methods. */
export class WorkerMetrics {
  private readonly deltaWrites: Counter;
  private readonly deltaRows: Counter;
  private readonly deltaSeconds: Histogram;
  private readonly storeOps: Counter;
  private readonly storeSeconds: Histogram;
  private readonly storeBytes: Counter;
  private readonly storeErrors: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.deltaWrites = new Counter({
      name: 'delta_writes_total',
      help: 'Delta commits attempted by the group committer, by outcome',
      labelNames: ['table', 'status'],
      registers,
    });
    this.deltaRows = new Counter({
      name: 'delta_events_written_total',
      help: 'Rows committed to a Delta table (keys already present are not counted)',
      labelNames: ['table'],
      registers,
    });
    this.deltaSeconds = new Histogram({
      name: 'delta_write_duration_seconds',
      help: 'Time of one group commit (Parquet files, commit, checkpoint)',
      labelNames: ['table'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.storeOps = new Counter({
      name: 'onelake_operations_total',
      help: 'Object store operations (OneLake, or the local lakehouse folder) by outcome',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.storeSeconds = new Histogram({
      name: 'onelake_operation_duration_seconds',
      help: 'Duration of object store operations',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 120],
      registers,
    });
    this.storeBytes = new Counter({
      name: 'onelake_bytes_transferred_total',
      help: 'Bytes written to or read from the object store',
      labelNames: ['operation'],
      registers,
    });
    this.storeErrors = new Counter({
      name: 'onelake_operation_errors_total',
      help: 'Failed object store operations by error type',
      labelNames: ['operation', 'error_type'],
      registers,
    });
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
}

function errorType(err: unknown): string {
  const status = (err as { statusCode?: number })?.statusCode;
  const code = (err as { code?: string })?.code;
  if (status === 401 || status === 403 || code === 'EACCES' || code === 'EPERM') return 'auth';
  if (status === 404 || code === 'ENOENT') return 'not_found';
  if (code === 'ETIMEDOUT' || (err as Error)?.name === 'TimeoutError') return 'timeout';
  return 'unknown';
}
