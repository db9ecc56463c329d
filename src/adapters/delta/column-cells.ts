import type { RowBatch } from './row-batch';
import { type CellValue, type ColumnDef, type DeltaType, checkCell, rowError } from './schema';

/** Delta per-column statistics of one data file (min/max in the log's JSON form; absent when not kept). */
export interface ColumnStats {
  readonly nullCount: number;
  readonly min?: string | number | bigint;
  readonly max?: string | number | bigint;
}

/**
 * One column of a data file as Arrow buffers (validity bitmap, value offsets for strings, values) plus its stats.
 * Plain typed arrays, so they can be handed to the Parquet thread without a copy.
 */
export interface EncodedColumn {
  readonly name: string;
  readonly type: DeltaType;
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap?: Uint8Array;
  readonly valueOffsets?: Int32Array;
  readonly data: Uint8Array | Int32Array | Float64Array | BigInt64Array;
  readonly stats: ColumnStats;
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

/** A null cell: allowed only in a nullable column. */
export function nullCell(c: Cells, i: number): void {
  if (!c.col.nullable)
    throw rowError(c.batch.def, c.batch.rows[i], i, `column "${c.col.name}" is required (not nullable)`);
  c.nulls++;
}

/** A cell the fast path does not take: converted by the general check, or a DeltaSchemaError. */
export function general(c: Cells, i: number, raw: unknown): number | bigint | string | boolean {
  return checkCell(c.batch.def, c.col, c.batch.rows[i], i, raw as CellValue) as number | bigint | string | boolean; // raw is not null
}

export function finish(
  c: Cells,
  buffers: { valueOffsets?: Int32Array; data: EncodedColumn['data'] },
  stats: ColumnStats,
): EncodedColumn {
  const { name, type } = c.col;
  const nullBitmap = c.nulls > 0 ? c.validity : undefined;
  return { name, type, length: c.indexes.length, nullCount: c.nulls, nullBitmap, ...buffers, stats };
}
