import type { Row } from './schema';
import type { AppendResult, DeltaTable } from './table';

export interface GroupCommitOptions {
  /** Flush as soon as this many rows are waiting. */
  readonly maxRows: number;
  /** Flush at the latest this long after the first waiting row arrived. */
  readonly maxDelayMs: number;
  /** Told about every commit attempt (metrics). */
  readonly onCommit?: (ok: boolean, seconds: number, rowsWritten: number) => void;
}

export interface CallerResult {
  readonly version: number | null;
  readonly written: number;
  readonly duplicates: number;
}

interface Waiting {
  readonly rows: readonly Row[];
  resolve(result: CallerResult): void;
  reject(err: unknown): void;
}

/**
 * Batches rows from many concurrent callers into one Parquet file and one commit per flush, so a table gets
 * about one commit per `maxDelayMs` per writer instead of one per event. A caller's promise settles only after
 * the commit holding its rows is durable (or failed, with the commit's error).
 */
export class GroupCommitter {
  private waiting: Waiting[] = [];
  private waitingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly table: DeltaTable,
    private readonly opts: GroupCommitOptions,
  ) {}

  append(rows: readonly Row[]): Promise<CallerResult> {
    if (rows.length === 0) return Promise.resolve({ version: null, written: 0, duplicates: 0 });
    return new Promise<CallerResult>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.waitingRows += rows.length;
      if (this.waitingRows >= this.opts.maxRows) this.flushSoon(0);
      else this.flushSoon(this.opts.maxDelayMs);
    });
  }

  /** Commits everything waiting now; resolves when it is committed. */
  flush(): Promise<void> {
    this.flushSoon(0);
    return this.flushing;
  }

  private flushSoon(delayMs: number): void {
    if (delayMs === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.commitBatch());
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flushing = this.flushing.then(() => this.commitBatch());
      }, delayMs);
    }
  }

  private async commitBatch(): Promise<void> {
    if (this.waiting.length === 0) return;
    // At most maxRows per commit (a single caller with more rows than that goes alone).
    let take = 0;
    let rows = 0;
    while (take < this.waiting.length && (take === 0 || rows + this.waiting[take].rows.length <= this.opts.maxRows)) {
      rows += this.waiting[take].rows.length;
      take++;
    }
    const batch = this.waiting.splice(0, take);
    this.waitingRows -= rows;
    if (this.waitingRows >= this.opts.maxRows) this.flushSoon(0);
    else if (this.waiting.length > 0) this.flushSoon(this.opts.maxDelayMs);
    let result: AppendResult;
    const t0 = performance.now();
    try {
      result = await this.table.append(batch.flatMap((w) => w.rows));
      this.opts.onCommit?.(true, (performance.now() - t0) / 1000, result.writtenKeys.length);
    } catch (err) {
      this.opts.onCommit?.(false, (performance.now() - t0) / 1000, 0);
      // One bad row must not fail its neighbours: retry each caller alone so only the bad one sees the error.
      if (batch.length > 1) return this.commitEachAlone(batch);
      batch[0].reject(err);
      return;
    }
    const written = new Set(result.writtenKeys);
    const keyColumn = this.table.def.keyColumn;
    for (const w of batch) {
      const keys = w.rows.map((r) => String(r[keyColumn]));
      const mine = keys.filter((k) => written.delete(k)).length; // a key written once counts for its first caller
      w.resolve({ version: mine > 0 ? result.version : null, written: mine, duplicates: keys.length - mine });
    }
  }

  private async commitEachAlone(batch: readonly Waiting[]): Promise<void> {
    for (const w of batch) {
      const t0 = performance.now();
      try {
        const r = await this.table.append(w.rows);
        this.opts.onCommit?.(true, (performance.now() - t0) / 1000, r.writtenKeys.length);
        w.resolve({
          version: r.version,
          written: r.writtenKeys.length,
          duplicates: w.rows.length - r.writtenKeys.length,
        });
      } catch (err) {
        this.opts.onCommit?.(false, (performance.now() - t0) / 1000, 0);
        w.reject(err);
      }
    }
  }
}
