import { type Cells, type EncodedColumn, nullCell } from './column-cells';
import { booleans, dateDays, fixed, int64s, longValue, numberValue, timestampMillis } from './number-columns';
import type { ColumnChunk } from './parquet-format';
import type { RowBatch } from './row-batch';
import type { CellValue, ColumnDef } from './schema';
import { strings } from './string-column';
import { dictionaryStrings, looksRepetitive } from './string-dictionary';

/**
 * Transposed rows (row-batch.ts) → Arrow column buffers and Delta file statistics, in one validating pass per
 * column. This is the writer's hot path: a 100k-row append of the 31-column event table touches 3 million cells,
 * so each column type has its own loop writing straight into typed arrays (string-column.ts, number-columns.ts);
 * a value of an unexpected kind goes through the general check in schema.ts, which either converts it or names
 * the column in a DeltaSchemaError.
 */

/** Encodes rows `indexes` of each given column; throws DeltaSchemaError on the first bad cell. */
export function encodeColumns(
  batch: RowBatch,
  columns: readonly ColumnDef[],
  indexes: ArrayLike<number>,
): EncodedColumn[] {
  return columns.map((col) => encodeColumn(batch, col, indexes));
}

/** No row has the column: all null. */
const ABSENT: readonly CellValue[] = [];

/**
 * Encodes rows `indexes` of one column; throws DeltaSchemaError on the first bad cell. A string column that repeats
 * its values is dictionary-encoded (string-dictionary.ts) unless `plain` asks for its values' bytes.
 */
export function encodeColumn(
  batch: RowBatch,
  col: ColumnDef,
  indexes: ArrayLike<number>,
  plain = false,
): EncodedColumn {
  const n = indexes.length;
  const validity = new Uint8Array((n + 7) >> 3);
  const values = batch.cells.get(col.name) ?? ABSENT;
  const cells: Cells = { col, batch, values, indexes, validity, nulls: 0 };
  if (values === ABSENT) return absent(cells);
  switch (col.type) {
    case 'string':
      return (!plain && looksRepetitive(values, indexes) && dictionaryStrings(cells)) || strings(cells);
    case 'timestamp':
      return int64s(cells, timestampMillis);
    case 'long':
      return int64s(cells, longValue);
    case 'date':
      return fixed(cells, new Int32Array(n), dateDays);
    case 'integer':
      return fixed(cells, new Int32Array(n), numberValue);
    case 'double':
      return fixed(cells, new Float64Array(n), numberValue);
    case 'boolean':
      return booleans(cells);
  }
}

/** A column no row has: all null (if it may be), with zeroed value buffers of the right layout. */
function absent(c: Cells): EncodedColumn {
  const n = c.indexes.length;
  if (n > 0 && !c.col.nullable) nullCell(c, c.indexes[0]!);
  c.nulls = n;
  const { name, type } = c.col;
  const stats = { nullCount: n };
  const base = { name, type, length: n, nullCount: n, nullBitmap: c.validity, stats };
  switch (type) {
    case 'string':
      return { ...base, valueOffsets: new Int32Array(n + 1), data: new Uint8Array(0) };
    case 'boolean':
      return { ...base, data: new Uint8Array((n + 7) >> 3) };
    case 'double':
      return { ...base, data: new Float64Array(n) };
    case 'timestamp':
    case 'long':
      return { ...base, data: new BigInt64Array(n) };
    default:
      return { ...base, data: new Int32Array(n) };
  }
}

/**
 * The Delta `stats` JSON of a data file from its encoded columns and their chunks, in the same order (the min/max
 * of string columns are worked out on the Parquet thread: string-stats.ts).
 */
export function fileStatsJson(
  columns: readonly EncodedColumn[],
  chunks: readonly Pick<ColumnChunk, 'stringStats'>[],
  numRecords: number,
): string {
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, number> = {};
  columns.forEach(({ name, stats }, k) => {
    nullCount[name] = stats.nullCount;
    const { min, max } = stats.min === undefined ? (chunks[k]!.stringStats ?? {}) : stats;
    if (min === undefined) return;
    minValues[name] = min;
    maxValues[name] = max;
  });
  // Longs beyond 2^53 are bigints, written as exact JSON integers (JSON.stringify cannot).
  const json = (o: Record<string, unknown>) =>
    `{${Object.entries(o)
      .map(([k, v]) => `${JSON.stringify(k)}:${typeof v === 'bigint' ? String(v) : JSON.stringify(v)}`)
      .join(',')}}`;
  return `{"numRecords":${numRecords},"minValues":${json(minValues)},"maxValues":${json(maxValues)},"nullCount":${json(nullCount)}}`;
}
