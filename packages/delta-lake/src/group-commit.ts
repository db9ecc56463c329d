import type { Row } from './schema';
import type { AppendResult, DeltaTable } from './table';

export interface GroupCommitOptions {
  /** At most this many rows go into one commit (a single caller with more rows goes alone). */
  readonly maxRows: number;
  /**
   * Least time between the starts of two commits (0: commit whenever the writer is idle). A commit never waits
   * for rows to arrive: it takes what is waiting; rows that arrive while it runs join the next one.
   */
  readonly minIntervalMs: number;
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
 * Batches rows from many concurrent callers into one Parquet file and one commit per flush. An idle writer commits
 * a caller's rows at once (after the current tick, so callers of the same tick share the commit); while a commit
 * runs, new rows wait and all of them go into the next commit. So the batch grows with the load by itself: at low
 * load a row waits for one commit, at high load a commit carries everything that arrived during the previous one.
 * A caller's promise settles only after the commit holding its rows is durable (or failed, with the commit's error).
 */
export class GroupCommitter {
  private waiting: Waiting[] = [];
  private draining: Promise<void> | undefined;
  private lastStart = -Infinity;
  private wake: (() => void) | undefined;
  private urgent = false;

  constructor(
    readonly table: DeltaTable,
    private readonly opts: GroupCommitOptions,
  ) {}

  append(rows: readonly Row[]): Promise<CallerResult> {
    if (rows.length === 0) return Promise.resolve({ version: null, written: 0, duplicates: 0 });
    return new Promise<CallerResult>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.kick();
    });
  }

  /** Commits everything waiting now, without the minimum interval; resolves when it is committed. */
  flush(): Promise<void> {
    if (this.waiting.length === 0 && !this.draining) return Promise.resolve();
    this.urgent = true;
    this.wake?.();
    this.kick();
    return this.draining ?? Promise.resolve();
  }

  private kick(): void {
    if (this.draining || this.waiting.length === 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      this.kick(); // rows that arrived after the last check
    });
  }

  private async drain(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve)); // callers of this tick join the first commit
    while (this.waiting.length > 0) {
      const due = this.lastStart + this.opts.minIntervalMs - performance.now();
      if (due > 0 && !this.urgent) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, due);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
      this.lastStart = performance.now();
      await this.commitBatch(this.takeBatch());
    }
    this.urgent = false;
  }

  /** The oldest waiting callers, up to maxRows rows (at least one caller). */
  private takeBatch(): Waiting[] {
    let take = 0;
    let rows = 0;
    for (const w of this.waiting) {
      if (take > 0 && rows + w.rows.length > this.opts.maxRows) break;
      rows += w.rows.length;
      take++;
    }
    return this.waiting.splice(0, take);
  }

  private async commitBatch(batch: readonly Waiting[]): Promise<void> {
    let result: AppendResult;
    const t0 = performance.now();
    try {
      result = await this.table.append(batch.flatMap((w) => w.rows));
      this.opts.onCommit?.(true, (performance.now() - t0) / 1000, result.writtenKeys.length);
    } catch (err) {
      this.opts.onCommit?.(false, (performance.now() - t0) / 1000, 0);
      // One bad row must not fail its neighbours: retry each caller alone so only the bad one sees the error.
      if (batch.length > 1) return this.commitEachAlone(batch);
      batch[0]?.reject(err);
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
