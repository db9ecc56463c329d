import { randomUUID } from 'node:crypto';
import type { DeltaStore } from './store';
import { writeTableCheckpoint } from './checkpoint';
import { KeyIndex } from './key-index';
import type { KeySet } from './key-set';
import {
  advance,
  commitInfo,
  commitPath,
  createTableActions,
  rewriteActions,
  loadSnapshot,
  partitionKeyOf,
  serialiseCommit,
  type Action,
  type AddAction,
  type Snapshot,
} from './log';
import { readKeyColumn } from './data-files';
import { startParquetThread } from './parquet-thread';
import { staleSnapshotMs } from './retention';
import { checkSkippedRows, freshRows, indexRows, prepareFiles, type PreparedFile } from './append-files';
import { ColumnArrays, transposeRows } from './row-batch';
import { assertCompatible, parseSchemaString, type Row, type TableDef } from './schema';
import {
  type AppendResult,
  checkpointEvery,
  DEFAULT_CHECKPOINT_INTERVAL,
  DeltaCommitConflictError,
  type DeltaTableOptions,
  type Planned,
  type Transacted,
} from './table-types';

export { type AppendResult, DeltaCommitConflictError, type DeltaTableOptions, type Planned, type Transacted };

/**
 * A Delta Lake table (reader 1 / writer 2) on a DeltaStore, append-only, exactly-once per row key.
 * Commits are atomic by put-if-absent of the next log file; on losing the race the writer re-reads the log,
 * drops rows whose keys another commit added meanwhile, and tries the next version.
 */
export class DeltaTable {
  private lock: Promise<unknown> = Promise.resolve();
  private index: KeyIndex;
  private readonly checkpointInterval: number;
  private readonly now: () => number;
  /** When the snapshot was last seen to be the log's newest version (see refresh). */
  private confirmedAt: number;
  private readonly maxAttempts: number;
  private readonly keyIndexPartitions: number;

  private constructor(
    private readonly store: DeltaStore,
    readonly path: string,
    readonly def: TableDef,
    private snapshot: Snapshot,
    opts: DeltaTableOptions,
  ) {
    this.keyIndexPartitions = opts.keyIndexPartitions ?? 16;
    this.index = new KeyIndex(this.keyIndexPartitions);
    this.checkpointInterval = opts.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
    this.maxAttempts = opts.maxCommitAttempts ?? 50;
    this.now = opts.now ?? Date.now;
    this.confirmedAt = this.now();
  }

  /** Opens the table at `path`, creating it (version 0: protocol + metaData) when it has no log yet. */
  static async open(store: DeltaStore, path: string, def: TableDef, opts: DeltaTableOptions = {}): Promise<DeltaTable> {
    startParquetThread(); // its start (module loading) overlaps opening the table
    let snapshot = await loadSnapshot(store, path);
    if (snapshot.version < 0) {
      const actions = createTableActions(def, randomUUID());
      await store.putIfAbsent(commitPath(path, 0), serialiseCommit(actions)); // false: another writer created it
      snapshot = await loadSnapshot(store, path);
    }
    const meta = snapshot.metaData;
    if (!meta || !snapshot.protocol) throw new Error(`${path}: delta log has no metaData/protocol`);
    if (snapshot.protocol.minReaderVersion > 1 || snapshot.protocol.minWriterVersion > 2) {
      throw new Error(
        `${path}: table needs reader ${snapshot.protocol.minReaderVersion} / writer ${snapshot.protocol.minWriterVersion}; this writer supports 1 / 2`,
      );
    }
    assertCompatible(def, parseSchemaString(meta.schemaString), meta.partitionColumns);
    return new DeltaTable(store, path, def, snapshot, opts);
  }

  get version(): number {
    return this.snapshot.version;
  }

  /** Live data files at the current snapshot. */
  get files(): ReadonlyMap<string, AddAction> {
    return this.snapshot.files;
  }

  /** Appends rows in one commit (one file per partition). Rows whose key the table already has are skipped. */
  append(rows: readonly Row[], operation = 'WRITE'): Promise<AppendResult> {
    const run = this.lock.then(() => this.appendLocked(rows, operation));
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async appendLocked(rows: readonly Row[], operation: string): Promise<AppendResult> {
    const batch = transposeRows(this.def, rows, COLUMN_ARRAYS); // both throw DeltaSchemaError naming the column
    const index = indexRows(batch);
    const prepared: PreparedFile[] = []; // data files written by the attempts, reused when their rows are the same
    try {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        await this.refresh();
        const { fresh, duplicateKeys } = await freshRows(index, (partition) => this.partitionKeys(partition));
        checkSkippedRows(batch, fresh);
        if (fresh.size === 0) return { version: null, writtenKeys: [], duplicateKeys, files: [] };
        const files = await prepareFiles(this.store, this.path, batch, index, fresh, prepared);
        const version = this.snapshot.version + 1;
        const actions: Action[] = [
          {
            commitInfo: commitInfo(operation, {
              mode: 'Append',
              partitionBy: JSON.stringify(this.def.partitionColumns),
            }),
          },
          ...files.map((f) => ({ add: f.add })),
        ];
        let committed: boolean;
        try {
          committed = await this.store.putIfAbsent(commitPath(this.path, version), serialiseCommit(actions));
        } catch (err) {
          // Unknown whether the commit landed (e.g. a timeout after the service stored it): keep the data files.
          prepared.length = 0;
          throw err;
        }
        if (committed) {
          this.snapshot.apply(version, actions);
          const writtenKeys: string[] = []; // a loop: flatMap / concat of per-file arrays took ~20 ms for 100k keys
          for (const f of files) {
            for (const i of f.rows) writtenKeys.push(index.keyOf[i]!);
            // The partition's keys in the batch: the file's, and those of rows skipped as already in the table.
            this.index.addFile(f.partition, f.add.path, index.partitions.get(f.partition)!.keys);
          }
          let kept = 0; // committed files are not orphans: keep only the others (in place, no spread)
          for (const f of prepared) if (!files.includes(f)) prepared[kept++] = f;
          prepared.length = kept;
          await this.maybeCheckpoint(version);
          return {
            version,
            writtenKeys,
            duplicateKeys,
            files: files.map((f) => f.add.path),
          };
        }
        await sleep(Math.min(5 * attempt, 100) * Math.random()); // lost the race for `version`: re-read and retry
      }
      throw new DeltaCommitConflictError(this.path, this.maxAttempts);
    } finally {
      COLUMN_ARRAYS.release(batch); // the result holds copies of the keys it names
      // Files written for a row set that was not committed are unreferenced; remove them (best effort).
      await Promise.allSettled(
        prepared.map((f) => this.store.delete(`${this.path}/${decodeURIComponent(f.add.path)}`)),
      );
    }
  }

  /**
   * Commits a rewrite that changes no data (compaction): `replaced` files are removed and `added` files (holding
   * exactly their rows) added, both with dataChange=false. After losing a race it retries while every replaced file
   * is still live (appends never conflict); returns null, committing nothing, once another commit removed one.
   */
  async rewrite(
    replaced: readonly AddAction[],
    added: readonly AddAction[],
    operationParameters: Record<string, string>,
  ): Promise<number | null> {
    const actions = rewriteActions(replaced, added, operationParameters);
    const { version } = await this.transact((files) =>
      Promise.resolve(replaced.some((f) => !files.has(f.path)) ? null : { actions, result: null }),
    );
    // Same rows, new files: a loaded partition already holds their keys.
    if (version !== null)
      for (const add of added) this.index.addRewrittenFile(partitionKeyOf(add.partitionValues), add.path);
    return version;
  }

  /**
   * An optimistic transaction: under the table's lock, re-reads the log and commits what `plan` makes of the live
   * files as the next version. When another writer took that version first, `plan` runs again on the newer state
   * (after its `discard`, e.g. deleting the data files it wrote). `plan` returns null to commit nothing. Partitions
   * whose files the commit removes as a data change leave the key index (they are read again when needed).
   */
  transact<T>(plan: (files: ReadonlyMap<string, AddAction>) => Promise<Planned<T> | null>): Promise<Transacted<T>> {
    const run = this.lock.then(async (): Promise<Transacted<T>> => {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        await this.refresh();
        const planned = await plan(this.snapshot.files);
        if (!planned) return { version: null, result: null };
        const version = this.snapshot.version + 1;
        if (await this.store.putIfAbsent(commitPath(this.path, version), serialiseCommit(planned.actions))) {
          this.snapshot.apply(version, planned.actions);
          for (const a of planned.actions) {
            if ('remove' in a && a.remove.dataChange)
              this.index.invalidate(partitionKeyOf(a.remove.partitionValues ?? {}));
          }
          await this.maybeCheckpoint(version);
          return { version, result: planned.result };
        }
        await planned.discard?.();
        await sleep(Math.min(5 * attempt, 100) * Math.random());
      }
      throw new DeltaCommitConflictError(this.path, this.maxAttempts);
    });
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Reads commits made since our snapshot, keeping the key index in step. A snapshot not confirmed newest for half
   * the log retention is loaded again from the latest checkpoint instead: log cleanup may have deleted the commits
   * right after it, and reading on from there would find "no next commit" and commit into the deleted range.
   */
  async refresh(): Promise<void> {
    const started = this.now();
    if (started - this.confirmedAt > staleSnapshotMs(this.snapshot)) {
      const fresh = await loadSnapshot(this.store, this.path);
      if (!fresh.metaData) throw new Error(`${this.path}: delta log has no metaData`);
      assertCompatible(this.def, parseSchemaString(fresh.metaData.schemaString), fresh.metaData.partitionColumns);
      this.snapshot = fresh;
      this.index = new KeyIndex(this.keyIndexPartitions); // removals in between are not known: read keys again
    }
    await advance(this.store, this.path, this.snapshot, (_version, actions) => {
      for (const a of actions) {
        if ('metaData' in a)
          assertCompatible(this.def, parseSchemaString(a.metaData.schemaString), a.metaData.partitionColumns);
        if ('remove' in a && a.remove.dataChange) this.index.invalidate(partitionKeyOf(a.remove.partitionValues ?? {}));
      }
    });
    this.confirmedAt = started;
  }

  /** Writes a checkpoint of the current version and points _last_checkpoint at it. */
  checkpoint(): Promise<void> {
    return writeTableCheckpoint(this.store, this.path, this.snapshot);
  }

  private async maybeCheckpoint(version: number): Promise<void> {
    if (this.checkpointInterval <= 0 || version <= 0) return;
    const entries = this.snapshot.files.size + this.snapshot.tombstones.size;
    if (version % checkpointEvery(this.checkpointInterval, entries) === 0) await this.checkpoint();
  }

  /** The keys a partition holds, loading them from its data files (key column only) when not cached. */
  private partitionKeys(partition: string): Promise<KeySet> {
    const files = [...this.snapshot.files.values()].filter((f) => partitionKeyOf(f.partitionValues) === partition);
    return this.index.ensure(
      partition,
      files.map((f) => f.path),
      (relPath, into) => readKeyColumn(this.store, this.path, relPath, this.def.keyColumn, into),
    );
  }
}

/** Column arrays of finished appends, reused by the next ones (of any table: each array has one batch at a time). */
const COLUMN_ARRAYS = new ColumnArrays();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
