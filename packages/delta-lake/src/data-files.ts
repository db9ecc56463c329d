import { randomUUID } from 'node:crypto';
import { type Data, DataType, type Table, type Utf8, type Vector } from 'apache-arrow';
import type { DeltaStore } from './store';
import type { EncodedColumn } from './column-cells';
import type { KeySet } from './key-set';
import type { AddAction } from './log';
import { encodeColumn, fileStatsJson } from './column-encoder';
import { assembleDataFile } from './parquet-file';
import type { ColumnChunk } from './parquet-format';
import { encodeChunk, readParquetFile } from './parquet-thread';
import type { RowBatch } from './row-batch';
import type { CellValue, ColumnDef, Row, TableDef } from './schema';

const DAY_MS = 86_400_000;

/** The columns stored in data files: all but the partition columns (those live in the directory names). */
export function dataColumnsOf(def: TableDef): ColumnDef[] {
  return def.columns.filter((c) => !def.partitionColumns.includes(c.name));
}

/** A data file's Parquet bytes and Delta stats, encoded but not yet stored. */
export interface EncodedFile {
  readonly bytes: Uint8Array;
  readonly stats: string;
}

/**
 * Validates and encodes rows `indexes` of the batch (all of them by default) as one data file (`keyColumn`, when
 * given, is the key column of exactly those rows, already encoded). Every column is encoded before this returns,
 * and a bad cell throws (DeltaSchemaError) right here, not through the promise; each column is handed to the
 * Parquet thread as soon as it is encoded, and the file is put together when the last chunk is back.
 */
export function encodeDataFile(
  batch: RowBatch,
  indexes?: ArrayLike<number>,
  keyColumn?: EncodedColumn,
): Promise<EncodedFile> {
  const which = indexes ?? Array.from(batch.rows.keys());
  const chunks: Promise<ColumnChunk>[] = [];
  try {
    const columns = dataColumnsOf(batch.def).map((col) => {
      const encoded = col.name === keyColumn?.name ? keyColumn : encodeColumn(batch, col, which);
      chunks.push(encodeChunk(encoded)); // takes its buffers; its name and stats stay readable
      return encoded;
    });
    return Promise.all(chunks).then((done) => ({
      bytes: assembleDataFile(done, which.length),
      stats: fileStatsJson(columns, done, which.length),
    }));
  } catch (err) {
    void Promise.allSettled(chunks); // columns already sent: their results are not wanted
    throw err;
  }
}

/**
 * Stores an encoded data file in its partition's directory and returns its `add` action (path relative to the
 * table, URI-encoded as the protocol requires). The file is not part of the table until a commit references it.
 */
export async function putDataFile(
  store: DeltaStore,
  tablePath: string,
  def: TableDef,
  file: EncodedFile,
  partitionValues: Record<string, string | null>,
  dataChange: boolean,
): Promise<AddAction> {
  const dir = def.partitionColumns.map((c) => `${c}=${hiveEscape(partitionValues[c]!)}`).join('/');
  const name = `part-00000-${randomUUID()}-c000.snappy.parquet`;
  const relPath = dir ? `${dir}/${name}` : name;
  await store.put(`${tablePath}/${relPath}`, file.bytes);
  return {
    path: encodeURI(relPath),
    partitionValues,
    size: file.bytes.byteLength,
    modificationTime: Date.now(),
    dataChange,
    stats: file.stats,
  };
}

/** Deletes data files no commit references (best effort: an orphan file is harmless, only wasted space). */
export async function deleteFiles(store: DeltaStore, tablePath: string, files: readonly AddAction[]): Promise<void> {
  await Promise.allSettled(files.map((f) => store.delete(`${tablePath}/${decodeURIComponent(f.path)}`)));
}

/** Reads a data file the log references (optionally only some columns); a missing file is a clear error. */
export async function readDataFile(
  store: DeltaStore,
  tablePath: string,
  relPath: string,
  columns?: string[],
): Promise<Table> {
  const bytes = await store.get(`${tablePath}/${decodeURIComponent(relPath)}`);
  if (!bytes) throw new Error(`${tablePath}: data file ${relPath} is in the log but missing from storage`);
  return readParquetFile(bytes, columns);
}

/** Adds the keys of a data file to `keys`. */
export async function readKeyColumn(
  store: DeltaStore,
  tablePath: string,
  relPath: string,
  keyColumn: string,
  keys: KeySet,
): Promise<void> {
  const column = (await readDataFile(store, tablePath, relPath, [keyColumn])).getChild(keyColumn);
  if (!column) throw new Error(`${tablePath}: data file ${relPath} has no key column ${keyColumn}`);
  addKeys(column, keys);
}

/**
 * Adds the keys of an Arrow column to `keys`: strings as the UTF-8 bytes Arrow holds them in (no string per key),
 * keys of other types as their string form, as the writer compares them. A null key (in a file another writer
 * made) equals no key the writer takes: not held.
 */
export function addKeys(column: Vector, keys: KeySet): void {
  if (!DataType.isUtf8(column.type) || column.nullCount > 0) {
    for (const k of column as Iterable<unknown>) if (k !== null) keys.addString(String(k));
    return;
  }
  for (const chunk of column.data) {
    const { values, valueOffsets, length } = chunk as Data<Utf8>; // offsets of a sliced chunk are sliced too
    for (let j = 0; j < length; j++) keys.addBytes(values, valueOffsets[j]!, valueOffsets[j + 1]!);
  }
}

/**
 * The rows of a data file as the writer takes them (timestamps as bigint microseconds, dates as Date, longs as
 * bigint), for rewriting files (compaction).
 */
export function rowsOfDataFile(table: Table, columns: readonly ColumnDef[]): Row[] {
  const rows: Record<string, CellValue>[] = Array.from({ length: table.numRows }, () => ({}));
  for (const col of columns) {
    const vector = table.getChild(col.name);
    if (!vector) throw new Error(`data file has no column ${col.name}`);
    let i = 0;
    for (const v of vector as Iterable<unknown>) rows[i++]![col.name] = cellOf(col, v);
  }
  return rows;
}

function cellOf(col: ColumnDef, v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  const ms = () => Number(v instanceof Date ? v.getTime() : v);
  if (col.type === 'date') return new Date(Math.round(ms() / DAY_MS) * DAY_MS);
  if (col.type === 'timestamp') return BigInt(Math.round(ms() * 1000)); // micros: a Date would drop them
  if (col.type === 'long') return BigInt(v as bigint | number);
  return v as CellValue;
}

/** Hive-style escaping of a partition value in a directory name; null is Hive's default partition. */
function hiveEscape(v: string | null): string {
  if (v === null) return '__HIVE_DEFAULT_PARTITION__';
  return v.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
