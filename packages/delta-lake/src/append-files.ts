import type { DeltaStore } from './store';
import type { EncodedColumn } from './column-cells';
import { encodeColumn, encodeColumns } from './column-encoder';
import { KeySet } from './key-set';
import { dataColumnsOf, type EncodedFile, encodeDataFile, putDataFile } from './data-files';
import { partitionKeyOf, type AddAction } from './log';
import { type RowBatch, sameItems } from './row-batch';
import { checkCell, type ColumnDef, partitionValueString } from './schema';

/** A data file written for an append, not yet committed: its add action, partition and rows. */
export interface PreparedFile {
  readonly add: AddAction;
  readonly partition: string;
  readonly rows: readonly number[];
}

/** The rows of one partition in an append: the first row of each key, and those keys. */
export interface PartitionRows {
  /** The partition's values as the log writes them. */
  readonly values: Record<string, string | null>;
  /** The first row of each key, in batch order. */
  readonly rows: number[];
  /** Their keys: entry e is the key of rows[e]. */
  readonly keys: KeySet;
  /** The key column of exactly `rows`, already encoded: the first data file of these rows takes it. */
  keyColumn?: EncodedColumn;
}

/** Every row's key, and the rows of each partition (by partitionKeyOf). */
export interface RowIndex {
  readonly keyOf: readonly string[];
  readonly partitions: ReadonlyMap<string, PartitionRows>;
}

/** The rows of a partition in batch order (keys repeated in the batch included). */
interface Group {
  readonly values: Record<string, string | null>;
  readonly rows: number[];
}

/**
 * Checks the cells of every row's key and partition columns (DeltaSchemaError naming the column otherwise) and
 * groups the rows by partition, keeping the first row of each key (keys are unique per partition: a key always
 * lands in the same partition, docs/design.md). Partition values repeat (one event date per batch, mostly), so
 * each distinct raw value is converted once.
 */
export function indexRows(batch: RowBatch): RowIndex {
  const { def, rows } = batch;
  const keyCol = def.columns.find((c) => c.name === def.keyColumn)!;
  const partCols = def.partitionColumns.map((name) => def.columns.find((c) => c.name === name)!);
  const keyOf = stringKeys(batch, keyCol);
  const grouped = new Map<string, Group>();
  const byRaw = new Map<string, Group>(); // raw partition cell (strings only) → its group
  const partCells = partCols.map((col) => batch.cells.get(col.name) ?? []);
  for (let i = 0; i < rows.length; i++) {
    const raw = partCols.length === 1 ? partCells[0]![i] : undefined;
    let group = typeof raw === 'string' ? byRaw.get(raw) : undefined;
    if (group === undefined) {
      const values: Record<string, string | null> = {};
      partCols.forEach((col, k) => {
        values[col.name] = partitionValueString(col.type, checkCell(def, col, rows[i]!, i, partCells[k]![i]));
      });
      const partition = partitionKeyOf(values);
      group = grouped.get(partition) ?? { values, rows: [] };
      grouped.set(partition, group);
      if (typeof raw === 'string') byRaw.set(raw, group);
    }
    group.rows.push(i);
  }
  const partitions = new Map<string, PartitionRows>();
  for (const [partition, { values, rows: all }] of grouped) {
    partitions.set(partition, { values, ...firstOfEachKey(batch, keyCol, keyOf, all) });
  }
  return { keyOf, partitions };
}

/**
 * The first row of each key among `all` and the set of their keys. A required string key column (the usual
 * case) is encoded for the data file here and its bytes hashed; other keys are compared as their strings.
 */
function firstOfEachKey(
  batch: RowBatch,
  keyCol: ColumnDef,
  keyOf: readonly string[],
  all: number[],
): Pick<PartitionRows, 'rows' | 'keys' | 'keyColumn'> {
  if (keyCol.type !== 'string' || keyCol.nullable) {
    const keys = new KeySet();
    return { rows: all.filter((i) => keys.addString(keyOf[i]!)), keys };
  }
  const keyColumn = encodeColumn(batch, keyCol, all, true); // plain: its values' bytes are hashed
  const bytes = keyColumn.data as Uint8Array;
  const offsets = keyColumn.valueOffsets!;
  const keys = new KeySet(all.length, offsets[all.length]); // sized for all: no growing on the way
  let rows: number[] | undefined; // a copy from the first repeated key on (rare)
  for (let j = 0; j < all.length; j++) {
    const added = keys.addBytes(bytes, offsets[j]!, offsets[j + 1]!);
    if (rows) {
      if (added) rows.push(all[j]!);
    } else if (!added) rows = all.slice(0, j);
  }
  return rows ? { rows, keys } : { rows: all, keys, keyColumn };
}

/** Every row's key as a string: the key column's cells themselves when they all are strings (the usual case). */
function stringKeys(batch: RowBatch, keyCol: ColumnDef): readonly string[] {
  const cells = batch.cells.get(keyCol.name) ?? [];
  // A required string key column: every cell is checked when firstOfEachKey encodes it, before a key is used.
  if (keyCol.type === 'string' && !keyCol.nullable) return cells as readonly string[];
  const n = batch.rows.length;
  let i = 0;
  while (i < n && typeof cells[i] === 'string') i++;
  if (i === n) return cells as readonly string[]; // may be longer than the batch (row-batch.ts, ColumnArrays)
  const keys = cells.slice(0, i) as string[];
  for (; i < n; i++) {
    const cell = cells[i];
    keys.push(typeof cell === 'string' ? cell : String(checkCell(batch.def, keyCol, batch.rows[i]!, i, cell)));
  }
  return keys;
}

/**
 * Per partition, the rows to write: the first row of each key the table does not hold yet (`keysInTable` gives a
 * partition's keys). Also the keys skipped because the table holds them: a retry or replay of an earlier write.
 * A partition none of whose keys the table holds keeps its rows array as it is, so the key column encoded with it
 * still fits its data file.
 */
export async function freshRows(
  index: RowIndex,
  keysInTable: (partition: string) => Promise<KeySet>,
): Promise<{ fresh: Map<string, readonly number[]>; duplicateKeys: string[] }> {
  const fresh = new Map<string, readonly number[]>();
  const duplicateKeys: string[] = [];
  for (const [partition, part] of index.partitions) {
    const inTable = await keysInTable(partition);
    let rows = part.rows; // a partition the table does not have yet: all of them
    if (inTable.size > 0) {
      rows = [];
      for (let e = 0; e < part.rows.length; e++) {
        const i = part.rows[e]!;
        if (inTable.hasEntryOf(part.keys, e)) duplicateKeys.push(index.keyOf[i]!);
        else rows.push(i);
      }
      if (rows.length === part.rows.length) rows = part.rows; // none held: the encoded key column fits
    }
    if (rows.length > 0) fresh.set(partition, rows);
  }
  return { fresh, duplicateKeys };
}

/**
 * Checks the data cells of rows that are not written (`fresh` holds those that are, per partition): bad input is
 * an error even when its row is skipped as a duplicate.
 */
export function checkSkippedRows(batch: RowBatch, fresh: ReadonlyMap<string, readonly number[]>): void {
  const n = batch.rows.length;
  const isWritten = new Uint8Array(n);
  let written = 0;
  for (const rows of fresh.values()) {
    for (const i of rows) isWritten[i] = 1;
    written += rows.length;
  }
  if (written === n) return;
  const skipped = [];
  for (let i = 0; i < n; i++) if (!isWritten[i]) skipped.push(i);
  encodeColumns(batch, dataColumnsOf(batch.def), skipped);
}

/**
 * One Parquet file per partition for the rows `fresh` (per partition, indexes into the batch). Each partition's
 * columns are encoded (and so validated) in turn while the Parquet thread compresses the previous file; all are
 * encoded before this first waits, so no file is stored unless every cell is valid, and each file is stored as soon
 * as its Parquet bytes are ready (while the next one is still being compressed). `prepared` holds the files of
 * earlier attempts (and of this one, also when it fails: the caller deletes what was not committed); a commit
 * retried with the same rows of a partition reuses its file.
 */
export async function prepareFiles(
  store: DeltaStore,
  tablePath: string,
  batch: RowBatch,
  index: RowIndex,
  fresh: ReadonlyMap<string, readonly number[]>,
  prepared: PreparedFile[],
): Promise<PreparedFile[]> {
  const parts: { partition: string; rows: readonly number[]; known?: PreparedFile; encoded?: Promise<EncodedFile> }[] =
    [];
  try {
    for (const [partition, rows] of fresh) {
      const known = prepared.find((f) => f.partition === partition && sameItems(f.rows, rows));
      if (known) {
        parts.push({ partition, rows, known });
        continue;
      }
      const part = index.partitions.get(partition)!;
      const keyColumn = rows === part.rows ? part.keyColumn : undefined;
      part.keyColumn = undefined; // its buffers move to the Parquet thread
      parts.push({ partition, rows, encoded: encodeDataFile(batch, rows, keyColumn) }); // throws on a bad cell
    }
  } catch (err) {
    void Promise.allSettled(parts.map((p) => p.encoded)); // files already sent: not wanted, not stored
    throw err;
  }
  const files = parts.map(async ({ partition, rows, known, encoded }) => {
    if (known) return known;
    const values = index.partitions.get(partition)!.values;
    const add = await putDataFile(store, tablePath, batch.def, await encoded!, values, true);
    const file = { partition, rows, add };
    prepared.push(file);
    return file;
  });
  return settledOrThrow(files);
}

/** Waits for all; then returns their values, or throws the first failure (so no work is left running behind it). */
async function settledOrThrow<T>(promises: readonly (Promise<T> | undefined)[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
