import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../storage/object-store';
import { checkpointActions, writeCheckpoint } from './checkpoint';
import { KeyIndex } from './key-index';
import {
  advance,
  checkpointPath,
  commitPath,
  lastCheckpointPath,
  loadSnapshot,
  serialiseCommit,
  type Action,
  type AddAction,
  type Snapshot,
} from './log';
import { fileStats, readParquet, writeParquet } from './parquet';
import {
  assertCompatible,
  deltaSchemaString,
  parseSchemaString,
  partitionValueString,
  toColumns,
  type NormalValue,
  type Row,
  type TableDef,
} from './schema';

export const ENGINE_INFO = 'kafka-pipeline-delta-writer/0.1';

export interface DeltaTableOptions {
  /** Write a Parquet checkpoint after every N-th commit (Delta's conventional default: 10). */
  readonly checkpointInterval?: number;
  /** How many times a commit is retried after losing the race for a version. */
  readonly maxCommitAttempts?: number;
  /** Partitions whose keys are held in memory for the exactly-once check. */
  readonly keyIndexPartitions?: number;
}

export interface AppendResult {
  /** The committed version, or null when every row was already in the table. */
  readonly version: number | null;
  /** Keys committed by this call. */
  readonly writtenKeys: readonly string[];
  /** Keys skipped because the table already had them (a retry or replay of an earlier write). */
  readonly duplicateKeys: readonly string[];
  readonly files: readonly string[];
}

export class DeltaCommitConflictError extends Error {
  constructor(table: string, attempts: number) {
    super(`${table}: could not commit after ${attempts} attempts; other writers kept winning the next version`);
    this.name = 'DeltaCommitConflictError';
  }
}

interface PreparedFile {
  readonly add: AddAction;
  readonly partition: string;
  readonly keys: readonly string[];
}

/**
 * A Delta Lake table (reader 1 / writer 2) on an ObjectStore, append-only, exactly-once per row key.
 * Commits are atomic by put-if-absent of the next log file; on losing the race the writer re-reads the log,
 * drops rows whose keys another commit added meanwhile, and tries the next version.
 */
export class DeltaTable {
  private lock: Promise<unknown> = Promise.resolve();
  private readonly index: KeyIndex;
  private readonly checkpointInterval: number;
  private readonly maxAttempts: number;

  private constructor(
    private readonly store: ObjectStore,
    readonly path: string,
    readonly def: TableDef,
    private snapshot: Snapshot,
    opts: DeltaTableOptions,
  ) {
    this.index = new KeyIndex(opts.keyIndexPartitions ?? 16);
    this.checkpointInterval = opts.checkpointInterval ?? 10;
    this.maxAttempts = opts.maxCommitAttempts ?? 50;
  }

  /** Opens the table at `path`, creating it (version 0: protocol + metaData) when it has no log yet. */
  static async open(
    store: ObjectStore,
    path: string,
    def: TableDef,
    opts: DeltaTableOptions = {},
  ): Promise<DeltaTable> {
    let snapshot = await loadSnapshot(store, path);
    if (snapshot.version < 0) {
      const actions: Action[] = [
        { commitInfo: commitInfo('CREATE TABLE', { partitionBy: JSON.stringify(def.partitionColumns) }) },
        { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
        {
          metaData: {
            id: randomUUID(),
            name: def.name,
            format: { provider: 'parquet', options: {} },
            schemaString: deltaSchemaString(def),
            partitionColumns: [...def.partitionColumns],
            configuration: {},
            createdTime: Date.now(),
          },
        },
      ];
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
    const columns = toColumns(this.def, rows); // throws DeltaSchemaError naming the column
    const keyOf = columns.get(this.def.keyColumn)!.map((k) => String(k));
    const partOf = rows.map((_, i) => this.partitionKey(columns, i));
    const firstIndex = new Map<string, number>();
    keyOf.forEach((k, i) => firstIndex.has(k) || firstIndex.set(k, i));
    const prepared = new Map<string, PreparedFile>(); // by signature of its row set, reused across attempts
    try {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        await this.refresh();
        const fresh: number[] = [];
        const duplicateKeys: string[] = [];
        // Each partition's key set is looked up once per attempt, not once per row.
        const keysOf = new Map<string, ReadonlySet<string>>();
        for (const partition of new Set(partOf)) keysOf.set(partition, await this.partitionKeys(partition));
        for (const [key, i] of firstIndex) {
          if (keysOf.get(partOf[i])!.has(key)) duplicateKeys.push(key);
          else fresh.push(i);
        }
        if (fresh.length === 0) return { version: null, writtenKeys: [], duplicateKeys, files: [] };
        const files = await this.prepareFiles(columns, fresh, partOf, keyOf, prepared);
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
        if (await this.store.putIfAbsent(commitPath(this.path, version), serialiseCommit(actions))) {
          this.snapshot.apply(version, actions);
          for (const f of files) this.index.addFile(f.partition, f.add.path, f.keys);
          for (const [sig, f] of prepared) if (files.includes(f)) prepared.delete(sig); // committed: not orphans
          await this.maybeCheckpoint(version);
          return {
            version,
            writtenKeys: files.flatMap((f) => f.keys),
            duplicateKeys,
            files: files.map((f) => f.add.path),
          };
        }
        await sleep(Math.min(5 * attempt, 100) * Math.random()); // lost the race for `version`: re-read and retry
      }
      throw new DeltaCommitConflictError(this.path, this.maxAttempts);
    } finally {
      // Files written for a row set that was not committed are unreferenced; remove them (best effort).
      await Promise.allSettled(
        [...prepared.values()].map((f) => this.store.delete(`${this.path}/${decodeURIComponent(f.add.path)}`)),
      );
    }
  }

  /** Reads commits made since our snapshot, keeping the key index in step. */
  async refresh(): Promise<void> {
    await advance(this.store, this.path, this.snapshot, (_version, actions) => {
      for (const a of actions) {
        if ('metaData' in a)
          assertCompatible(this.def, parseSchemaString(a.metaData.schemaString), a.metaData.partitionColumns);
        if ('remove' in a && a.remove.dataChange) this.index.invalidate(partitionKeyOf(a.remove.partitionValues ?? {}));
      }
    });
  }

  /** Writes a checkpoint of the current version and points _last_checkpoint at it. */
  async checkpoint(): Promise<void> {
    const actions = checkpointActions(this.snapshot);
    const version = this.snapshot.version;
    const bytes = writeCheckpoint(actions);
    await this.store.put(checkpointPath(this.path, version), bytes);
    await this.store.put(
      lastCheckpointPath(this.path),
      Buffer.from(
        JSON.stringify({
          version,
          size: actions.length,
          sizeInBytes: bytes.byteLength,
          numOfAddFiles: this.snapshot.files.size,
        }),
      ),
    );
  }

  private async maybeCheckpoint(version: number): Promise<void> {
    if (this.checkpointInterval > 0 && version > 0 && version % this.checkpointInterval === 0) await this.checkpoint();
  }

  private partitionKey(columns: ReadonlyMap<string, readonly NormalValue[]>, i: number): string {
    return partitionKeyOf(this.partitionValues(columns, i));
  }

  private partitionValues(
    columns: ReadonlyMap<string, readonly NormalValue[]>,
    i: number,
  ): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const name of this.def.partitionColumns) {
      const col = this.def.columns.find((c) => c.name === name)!;
      out[name] = partitionValueString(col.type, columns.get(name)![i]);
    }
    return out;
  }

  /** The keys a partition holds, loading them from its data files (key column only) when not cached. */
  private async partitionKeys(partition: string): Promise<ReadonlySet<string>> {
    const files = [...this.snapshot.files.values()].filter((f) => partitionKeyOf(f.partitionValues) === partition);
    if (!this.index.has(partition)) {
      const keys: string[] = [];
      for (const f of files) keys.push(...(await this.readKeys(f.path)));
      this.index.load(
        partition,
        files.map((f) => f.path),
        keys,
      );
    } else {
      for (const f of files) {
        if (!this.index.knowsFile(partition, f.path))
          this.index.addFile(partition, f.path, await this.readKeys(f.path));
      }
    }
    return this.index.keys(partition)!;
  }

  private async readKeys(relPath: string): Promise<string[]> {
    const bytes = await this.store.get(`${this.path}/${decodeURIComponent(relPath)}`);
    if (!bytes) throw new Error(`${this.path}: data file ${relPath} is in the log but missing from storage`);
    const column = readParquet(bytes, [this.def.keyColumn]).getChild(this.def.keyColumn);
    if (!column) throw new Error(`${this.path}: data file ${relPath} has no key column ${this.def.keyColumn}`);
    return [...column].map((k) => String(k));
  }

  private async prepareFiles(
    columns: ReadonlyMap<string, readonly NormalValue[]>,
    fresh: readonly number[],
    partOf: readonly string[],
    keyOf: readonly string[],
    prepared: Map<string, PreparedFile>,
  ): Promise<PreparedFile[]> {
    const byPartition = new Map<string, number[]>();
    for (const i of fresh) byPartition.set(partOf[i], [...(byPartition.get(partOf[i]) ?? []), i]);
    const out: PreparedFile[] = [];
    for (const [partition, indexes] of byPartition) {
      const signature = `${partition}\n${indexes.map((i) => keyOf[i]).join('\n')}`;
      let file = prepared.get(signature);
      if (!file) {
        file = await this.writeDataFile(columns, indexes, partition, keyOf);
        prepared.set(signature, file);
      }
      out.push(file);
    }
    return out;
  }

  private async writeDataFile(
    columns: ReadonlyMap<string, readonly NormalValue[]>,
    indexes: readonly number[],
    partition: string,
    keyOf: readonly string[],
  ): Promise<PreparedFile> {
    const dataColumns = this.def.columns.filter((c) => !this.def.partitionColumns.includes(c.name));
    const subset = new Map(dataColumns.map((c) => [c.name, indexes.map((i) => columns.get(c.name)![i])]));
    const bytes = writeParquet(dataColumns, subset);
    const partitionValues = this.partitionValues(columns, indexes[0]);
    const dir = this.def.partitionColumns.map((c) => `${c}=${hiveEscape(partitionValues[c])}`).join('/');
    const name = `part-00000-${randomUUID()}-c000.snappy.parquet`;
    const relPath = dir ? `${dir}/${name}` : name;
    await this.store.put(`${this.path}/${relPath}`, bytes);
    return {
      partition,
      keys: indexes.map((i) => keyOf[i]),
      add: {
        path: encodeURI(relPath),
        partitionValues,
        size: bytes.byteLength,
        modificationTime: Date.now(),
        dataChange: true,
        stats: fileStats(dataColumns, subset, indexes.length),
      },
    };
  }
}

function commitInfo(operation: string, operationParameters: Record<string, string>): Record<string, unknown> {
  return { timestamp: Date.now(), operation, operationParameters, engineInfo: ENGINE_INFO, isBlindAppend: true };
}

export function partitionKeyOf(values: Readonly<Record<string, string | null>>): string {
  return JSON.stringify(
    Object.keys(values)
      .sort()
      .map((k) => [k, values[k]]),
  );
}

/** Hive-style escaping of a partition value in a directory name; null is Hive's default partition. */
function hiveEscape(v: string | null): string {
  if (v === null) return '__HIVE_DEFAULT_PARTITION__';
  return v.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
