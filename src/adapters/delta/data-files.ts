import { randomUUID } from 'node:crypto';
import type * as arrow from 'apache-arrow';
import type { ObjectStore } from '../storage/object-store';
import type { AddAction } from './log';
import { fileStats, readParquet, writeParquet } from './parquet';
import { type ColumnDef, type NormalValue, partitionValueString, type TableDef } from './schema';

const DAY_MS = 86_400_000;

/** The columns stored in data files: all but the partition columns (those live in the directory names). */
export function dataColumnsOf(def: TableDef): ColumnDef[] {
  return def.columns.filter((c) => !def.partitionColumns.includes(c.name));
}

/**
 * Writes one Parquet data file of a partition and returns its `add` action (path relative to the table, URI-encoded
 * as the protocol requires; size, stats). The file is not part of the table until a commit references it.
 */
export async function writeDataFile(
  store: ObjectStore,
  tablePath: string,
  def: TableDef,
  data: ReadonlyMap<string, readonly NormalValue[]>,
  partitionValues: Record<string, string | null>,
  numRecords: number,
  dataChange: boolean,
): Promise<AddAction> {
  const columns = dataColumnsOf(def);
  const bytes = writeParquet(columns, data);
  const dir = def.partitionColumns.map((c) => `${c}=${hiveEscape(partitionValues[c])}`).join('/');
  const name = `part-00000-${randomUUID()}-c000.snappy.parquet`;
  const relPath = dir ? `${dir}/${name}` : name;
  await store.put(`${tablePath}/${relPath}`, bytes);
  return {
    path: encodeURI(relPath),
    partitionValues,
    size: bytes.byteLength,
    modificationTime: Date.now(),
    dataChange,
    stats: fileStats(columns, data, numRecords),
  };
}

/** Reads a data file the log references (optionally only some columns); a missing file is a clear error. */
export async function readDataFile(
  store: ObjectStore,
  tablePath: string,
  relPath: string,
  columns?: string[],
): Promise<arrow.Table> {
  const bytes = await store.get(`${tablePath}/${decodeURIComponent(relPath)}`);
  if (!bytes) throw new Error(`${tablePath}: data file ${relPath} is in the log but missing from storage`);
  return readParquet(bytes, columns);
}

/** The key column of a data file, as strings. */
export async function readKeyColumn(
  store: ObjectStore,
  tablePath: string,
  relPath: string,
  keyColumn: string,
): Promise<string[]> {
  const column = (await readDataFile(store, tablePath, relPath, [keyColumn])).getChild(keyColumn);
  if (!column) throw new Error(`${tablePath}: data file ${relPath} has no key column ${keyColumn}`);
  return [...column].map((k) => String(k));
}

/** The partition values (as the log writes them) of row `i`. */
export function partitionValuesAt(
  def: TableDef,
  columns: ReadonlyMap<string, readonly NormalValue[]>,
  i: number,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of def.partitionColumns) {
    const col = def.columns.find((c) => c.name === name)!;
    out[name] = partitionValueString(col.type, columns.get(name)![i]);
  }
  return out;
}

/** Converts Arrow columns read from a data file back to the writer's normal values (the inverse of writeParquet). */
export function toNormalColumns(table: arrow.Table, columns: readonly ColumnDef[]): Map<string, NormalValue[]> {
  const out = new Map<string, NormalValue[]>();
  for (const col of columns) {
    const vector = table.getChild(col.name);
    if (!vector) throw new Error(`data file has no column ${col.name}`);
    const values: NormalValue[] = [];
    for (const v of vector as Iterable<unknown>) {
      if (v === null || v === undefined) values.push(null);
      else if (col.type === 'date') values.push(Math.round(Number(v instanceof Date ? v.getTime() : v) / DAY_MS));
      else if (col.type === 'timestamp') values.push(Number(v instanceof Date ? v.getTime() : v));
      else if (col.type === 'long') values.push(BigInt(v as bigint | number));
      else values.push(v as NormalValue);
    }
    out.set(col.name, values);
  }
  return out;
}

/** Hive-style escaping of a partition value in a directory name; null is Hive's default partition. */
function hiveEscape(v: string | null): string {
  if (v === null) return '__HIVE_DEFAULT_PARTITION__';
  return v.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
