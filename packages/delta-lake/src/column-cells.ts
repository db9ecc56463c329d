import type { RowBatch } from './row-batch';
import { type CellValue, type ColumnDef, type DeltaType, checkCell, rowError } from './schema';

/**
 * Delta per-column statistics of one data file (min/max in the log's JSON form; absent when not kept). A string
 * column's min/max are not here: the Parquet thread works them out from its bytes (string-stats.ts).
 */
export interface ColumnStats {
  readonly nullCount: number;
  readonly min?: string | number | bigint;
  readonly max?: string | number | bigint;
}

/**
 * One column of a data file as Arrow buffers (validity bitmap, value offsets for strings, values) plus its stats.
 * Plain typed arrays, so they can be handed to the Parquet thread without a copy. A string column of few distinct
 * values comes as a dictionary instead: its distinct values (`dictionary`, UTF-8 with offsets) and, in `data`, each
 * row's entry number (Int32Array; 0 for a null), and no `valueOffsets`.
 */
export interface EncodedColumn {
  readonly name: string;
  readonly type: DeltaType;
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap?: Uint8Array;
  readonly valueOffsets?: Int32Array;
  readonly data: Uint8Array | Int32Array | Float64Array | BigInt64Array;
  readonly dictionary?: StringDictionary;
  readonly stats: ColumnStats;
}

/** The distinct values of a dictionary-encoded string column: entry e is data[valueOffsets[e], valueOffsets[e + 1]). */
export interface StringDictionary {
  readonly valueOffsets: Int32Array;
  readonly data: Uint8Array;
}

/** The cells of one column being encoded: rows `indexes` of the batch. */
export interface Cells {
  readonly col: ColumnDef;
  readonly batch: RowBatch;
  /** The column's cells, by row index. */
  readonly values: readonly CellValue[];
  readonly indexes: ArrayLike<number>;
  readonly validity: Uint8Array;
  nulls: number;
}

/**
 * Cells an encoder reads ahead. A column's values are separate heap objects far apart (each row's own strings and
 * Dates), so an encoding loop waits on memory for nearly every value; a short loop that only reads the next
 * READ_AHEAD values has many of those reads in flight at once and leaves them in cache for the encoding loop
 * (a 100k-row append of the event table: ~15% faster, docs/performance.md).
 */
const READ_AHEAD = 1024;
/** What readAhead read, kept so the reads are not optimised away. */
let readSum = 0;

/** At every READ_AHEAD-th row j, reads the string and Date cells of the next READ_AHEAD rows (see READ_AHEAD). */
export function readAhead(values: readonly CellValue[], indexes: ArrayLike<number>, j: number): void {
  if (j % READ_AHEAD === 0) readSum = (readSum + readCells(values, indexes, j)) % 65536;
}

function readCells(values: readonly CellValue[], indexes: ArrayLike<number>, from: number): number {
  let sum = 0;
  for (let j = from, end = Math.min(indexes.length, from + READ_AHEAD); j < end; j++) {
    const v = values[indexes[j]!];
    if (typeof v === 'string') sum += v.length > 0 ? v.charCodeAt(v.length - 1) : 0;
    else if (v instanceof Date) sum += v.getTime();
  }
  return sum;
}

/** A null cell: allowed only in a nullable column. */
export function nullCell(c: Cells, i: number): void {
  if (!c.col.nullable)
    throw rowError(c.batch.def, c.batch.rows[i]!, i, `column "${c.col.name}" is required (not nullable)`);
  c.nulls++;
}

/** A cell the fast path does not take: converted by the general check, or a DeltaSchemaError. */
export function general(c: Cells, i: number, raw: unknown): number | bigint | string | boolean {
  return checkCell(c.batch.def, c.col, c.batch.rows[i]!, i, raw as CellValue) as number | bigint | string | boolean; // raw is not null
}

export function finish(
  c: Cells,
  buffers: { valueOffsets?: Int32Array; data: EncodedColumn['data']; dictionary?: StringDictionary },
  stats: ColumnStats,
): EncodedColumn {
  const { name, type } = c.col;
  const nullBitmap = c.nulls > 0 ? c.validity : undefined;
  return { name, type, length: c.indexes.length, nullCount: c.nulls, nullBitmap, ...buffers, stats };
}
