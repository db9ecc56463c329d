import * as arrow from 'apache-arrow';
import type { RowBatch } from './row-batch';
import { type CellValue, type ColumnDef, type TableDef, checkCell, rowError } from './schema';

/**
 * Transposed rows (row-batch.ts) → Arrow column data and Delta file statistics, in one validating pass per column.
 * This is the writer's hot path: a 100k-row append of the 31-column event table touches 3 million cells, so each
 * column type has its own loop writing straight into Arrow buffers; a value of an unexpected kind goes through the
 * general check in schema.ts, which either converts it or names the column in a DeltaSchemaError.
 */

/** Delta per-column statistics of one data file (min/max in the log's JSON form; absent when not kept). */
export interface ColumnStats {
  readonly nullCount: number;
  readonly min?: string | number | bigint;
  readonly max?: string | number | bigint;
}

export interface EncodedColumn {
  readonly col: ColumnDef;
  readonly data: arrow.Data;
  readonly stats: ColumnStats;
}

/** Strings longer than this get no min/max (a truncated max would be wrong). */
const STAT_STRING_MAX = 32;
const DAY_MS = 86_400_000;
const TWO_32 = 2 ** 32;

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

function encodeColumn(batch: RowBatch, col: ColumnDef, indexes: ArrayLike<number>): EncodedColumn {
  const n = indexes.length;
  const validity = new Uint8Array((n + 7) >> 3);
  const values = batch.cells.get(col.name) ?? ABSENT;
  const cells: Cells = { def: batch.def, col, batch, values, indexes, validity, nulls: 0 };
  if (values === ABSENT) return absent(cells);
  switch (col.type) {
    case 'string':
      return strings(cells);
    case 'timestamp':
      return int64s(cells, new arrow.TimestampMicrosecond('UTC'), timestampMicros);
    case 'long':
      return int64s(cells, new arrow.Int64(), longValue);
    case 'date':
      return fixed(cells, new arrow.DateDay(), new Int32Array(n), dateDays);
    case 'integer':
      return fixed(cells, new arrow.Int32(), new Int32Array(n), numberValue);
    case 'double':
      return fixed(cells, new arrow.Float64(), new Float64Array(n), numberValue);
    case 'boolean':
      return booleans(cells);
  }
}

interface Cells {
  readonly def: TableDef;
  readonly col: ColumnDef;
  readonly batch: RowBatch;
  /** The column's cells, by row index. */
  readonly values: readonly CellValue[];
  readonly indexes: ArrayLike<number>;
  readonly validity: Uint8Array;
  nulls: number;
}

/** A null cell: allowed only in a nullable column. */
function nullCell(c: Cells, i: number): void {
  if (!c.col.nullable) throw rowError(c.def, c.batch.rows[i], i, `column "${c.col.name}" is required (not nullable)`);
  c.nulls++;
}

/** A column no row has: all null (if it may be), with zeroed value buffers of the right layout. */
function absent(c: Cells): EncodedColumn {
  const n = c.indexes.length;
  if (n > 0 && !c.col.nullable) nullCell(c, c.indexes[0]);
  c.nulls = n;
  let extra: Record<string, unknown>;
  if (c.col.type === 'string') extra = { valueOffsets: new Int32Array(n + 1), data: new Uint8Array(0) };
  else if (c.col.type === 'boolean') extra = { data: new Uint8Array((n + 7) >> 3) };
  else extra = { data: new (bufferOf(c.col))(n) };
  return finish(c, arrowType(c.col), extra, { nullCount: n });
}

function arrowType(col: ColumnDef): arrow.DataType {
  switch (col.type) {
    case 'string':
      return new arrow.Utf8();
    case 'timestamp':
      return new arrow.TimestampMicrosecond('UTC');
    case 'long':
      return new arrow.Int64();
    case 'date':
      return new arrow.DateDay();
    case 'integer':
      return new arrow.Int32();
    case 'double':
      return new arrow.Float64();
    case 'boolean':
      return new arrow.Bool();
  }
}

function bufferOf(col: ColumnDef): Int32ArrayConstructor | Float64ArrayConstructor | BigInt64ArrayConstructor {
  if (col.type === 'double') return Float64Array;
  return col.type === 'timestamp' || col.type === 'long' ? BigInt64Array : Int32Array;
}

/** A cell the fast path does not take: converted by the general check, or a DeltaSchemaError. */
function general(c: Cells, i: number, raw: unknown): number | bigint | string | boolean {
  return checkCell(c.def, c.col, c.batch.rows[i], i, raw as CellValue) as number | bigint | string | boolean; // raw is not null
}

function finish(c: Cells, type: arrow.DataType, extra: Record<string, unknown>, stats: ColumnStats): EncodedColumn {
  const length = c.indexes.length;
  const nullBitmap = c.nulls > 0 ? c.validity : undefined;
  const data = arrow.makeData({ type, length, nullCount: c.nulls, nullBitmap, ...extra } as never) as arrow.Data;
  return { col: c.col, data, stats };
}

/**
 * UTF-8 column: values are copied byte by byte while they are ASCII (the usual case; no per-value native call or
 * joined copy); the first non-ASCII value switches the column to Buffer's encoder. A value equal to the previous
 * one (repeated values are common: type, version) is copied from the previous value's bytes without comparing.
 */
function strings(c: Cells): EncodedColumn {
  const { values, indexes, validity, col } = c;
  const n = indexes.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(1024, n * 16));
  let at = 0;
  let prev: string | undefined;
  let prevAt = 0;
  let min: string | undefined;
  let max: string | undefined;
  let keepMinMax = true;
  let nulls = 0;
  for (let j = 0; j < n; j++) {
    const i = indexes[j];
    let v = values[i];
    if (v === null || v === undefined) {
      if (!col.nullable) nullCell(c, i);
      nulls++;
      offsets[j + 1] = at;
      continue;
    }
    if (typeof v !== 'string') v = general(c, i, v) as string;
    validity[j >> 3] |= 1 << (j & 7);
    const len = v.length;
    if (at + len > bytes.length) bytes = grow(bytes, at + len);
    if (v === prev) {
      bytes.copyWithin(at, prevAt, prevAt + len);
      prevAt = at;
      at += len;
    } else {
      prevAt = at;
      for (let k = 0; k < len; k++) {
        const code = v.charCodeAt(k);
        if (code > 0x7f) return stringsUtf8(c); // start again with the general encoder
        bytes[at++] = code;
      }
      prev = v;
      if (keepMinMax) {
        if (len > STAT_STRING_MAX) keepMinMax = false;
        else if (min === undefined || max === undefined) min = max = v;
        else if (v > max) max = v;
        else if (v < min) min = v;
      }
    }
    offsets[j + 1] = at;
  }
  c.nulls = nulls;
  return finish(
    c,
    new arrow.Utf8(),
    { valueOffsets: offsets, data: bytes.subarray(0, at) },
    stringStats(c, keepMinMax, min, max),
  );
}

function grow(bytes: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(Math.max(bytes.length * 2, need));
  bigger.set(bytes);
  return bigger;
}

function stringStats(c: Cells, keepMinMax: boolean, min?: string, max?: string): ColumnStats {
  return keepMinMax && min !== undefined ? { nullCount: c.nulls, min, max } : { nullCount: c.nulls };
}

/** UTF-8 column with non-ASCII values: one joined encode, byte offsets from each value's UTF-8 length. */
function stringsUtf8(c: Cells): EncodedColumn {
  const { values, indexes, validity } = c;
  const n = indexes.length;
  c.nulls = 0;
  validity.fill(0);
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  let bytes = 0;
  let min: string | undefined;
  let max: string | undefined;
  let keepMinMax = true;
  for (let j = 0; j < n; j++) {
    const i = indexes[j];
    let v = values[i];
    if (v === null || v === undefined) nullCell(c, i);
    else {
      if (typeof v !== 'string') v = general(c, i, v) as string;
      parts.push(v);
      bytes += Buffer.byteLength(v, 'utf8');
      validity[j >> 3] |= 1 << (j & 7);
      if (keepMinMax) {
        if (v.length > STAT_STRING_MAX) keepMinMax = false;
        else {
          if (min === undefined || v < min) min = v;
          if (max === undefined || v > max) max = v;
        }
      }
    }
    offsets[j + 1] = bytes;
  }
  const utf8 = Buffer.from(parts.join(''), 'utf8');
  return finish(c, new arrow.Utf8(), { valueOffsets: offsets, data: utf8 }, stringStats(c, keepMinMax, min, max));
}

/** Epoch milliseconds of a timestamp cell (Date or ISO-8601 string). */
function timestampMicros(c: Cells, i: number, v: unknown): number {
  if (v instanceof Date) {
    const ms = v.getTime();
    if (ms === ms) return ms;
  } else if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (ms === ms) return ms;
  }
  return general(c, i, v) as number;
}

function longValue(c: Cells, i: number, v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  return Number(general(c, i, v)); // throws for anything but a safe integer (bigints are handled by the caller)
}

function numberValue(c: Cells, i: number, v: unknown): number {
  return general(c, i, v) as number;
}

/** Days since the epoch of a date cell; 'YYYY-MM-DD' strings repeat, so the last one's days are reused. */
function dateDays(c: Cells, i: number, v: unknown, last: { s?: string; days: number }): number {
  if (typeof v === 'string' && v === last.s) return last.days;
  const days = general(c, i, v) as number;
  if (typeof v === 'string') {
    last.s = v;
    last.days = days;
  }
  return days;
}

/**
 * 64-bit columns (timestamps as micros, longs) written as two 32-bit halves (little-endian), avoiding one BigInt per
 * value; a bigint (a long, or a timestamp in microseconds) is stored as it is.
 */
function int64s(c: Cells, type: arrow.DataType, value: (c: Cells, i: number, v: unknown) => number): EncodedColumn {
  const { values, indexes, validity } = c;
  const n = indexes.length;
  const words = new BigInt64Array(n);
  const halves = new Uint32Array(words.buffer);
  const micros = c.col.type === 'timestamp';
  let min = Infinity;
  let max = -Infinity;
  let bigMin: bigint | undefined; // longs given as bigint: their stats stay exact
  let bigMax: bigint | undefined;
  for (let j = 0; j < n; j++) {
    const i = indexes[j];
    const v = values[i];
    if (v === null || v === undefined) {
      nullCell(c, i);
      continue;
    }
    if (typeof v === 'bigint') {
      general(c, i, v); // type and 64-bit range check
      words[j] = v; // a long, or a timestamp given in microseconds
      validity[j >> 3] |= 1 << (j & 7);
      if (micros) {
        const x = Number(v) / 1000;
        if (x < min) min = x;
        if (x > max) max = x;
      } else {
        if (bigMin === undefined || v < bigMin) bigMin = v;
        if (bigMax === undefined || v > bigMax) bigMax = v;
      }
      continue;
    }
    let x = NaN; // the common kinds inline; anything else (ISO strings, bad values) through value()
    if (micros) {
      if (v instanceof Date) x = v.getTime();
    } else if (typeof v === 'number' && Number.isSafeInteger(v)) x = v;
    if (x !== x) x = value(c, i, v);
    const stored = micros ? Math.round(x * 1000) : x;
    const hi = Math.floor(stored / TWO_32);
    halves[2 * j] = stored - hi * TWO_32;
    halves[2 * j + 1] = hi; // two's complement for negatives via the unsigned wrap
    validity[j >> 3] |= 1 << (j & 7);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  let stats: ColumnStats = { nullCount: c.nulls };
  if (micros && min <= max) stats = { ...stats, min: new Date(min).toISOString(), max: new Date(max).toISOString() };
  else if (!micros && bigMin !== undefined && bigMax !== undefined) {
    const lo = min <= max && BigInt(min) < bigMin ? min : bigMin;
    const hi = min <= max && BigInt(max) > bigMax ? max : bigMax;
    stats = { ...stats, min: lo, max: hi };
  } else if (min <= max) stats = { ...stats, min, max };
  return finish(c, type, { data: words }, stats);
}

function fixed(
  c: Cells,
  type: arrow.DataType,
  out: Int32Array | Float64Array,
  value: (c: Cells, i: number, v: unknown, last: { s?: string; days: number }) => number,
): EncodedColumn {
  const { values, indexes, validity } = c;
  const n = indexes.length;
  const last = { s: undefined as string | undefined, days: 0 };
  const isDouble = c.col.type === 'double';
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const i = indexes[j];
    const v = values[i];
    if (v === null || v === undefined) {
      nullCell(c, i);
      continue;
    }
    const x =
      typeof v === 'number' && (isDouble ? v === v : c.col.type === 'integer' && (v | 0) === v)
        ? v
        : value(c, i, v, last);
    out[j] = x;
    validity[j >> 3] |= 1 << (j & 7);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  let stats: ColumnStats = { nullCount: c.nulls };
  if (min <= max) {
    stats =
      c.col.type === 'date'
        ? { nullCount: c.nulls, min: isoDay(min), max: isoDay(max) }
        : { nullCount: c.nulls, min, max };
  }
  return finish(c, type, { data: out }, stats);
}

function booleans(c: Cells): EncodedColumn {
  const { values, indexes, validity } = c;
  const n = indexes.length;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let j = 0; j < n; j++) {
    const i = indexes[j];
    let v = values[i];
    if (v === null || v === undefined) {
      nullCell(c, i);
      continue;
    }
    if (typeof v !== 'boolean') v = general(c, i, v) as boolean;
    if (v) bits[j >> 3] |= 1 << (j & 7);
    validity[j >> 3] |= 1 << (j & 7);
  }
  return finish(c, new arrow.Bool(), { data: bits }, { nullCount: c.nulls }); // no min/max for booleans
}

const isoDay = (days: number): string => new Date(days * DAY_MS).toISOString().slice(0, 10);

/** The Delta `stats` JSON of a data file from its encoded columns. */
export function fileStatsJson(columns: readonly EncodedColumn[], numRecords: number): string {
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, number> = {};
  for (const { col, stats } of columns) {
    nullCount[col.name] = stats.nullCount;
    if (stats.min === undefined) continue;
    minValues[col.name] = stats.min;
    maxValues[col.name] = stats.max;
  }
  // Longs beyond 2^53 are bigints, written as exact JSON integers (JSON.stringify cannot).
  const json = (o: Record<string, unknown>) =>
    `{${Object.entries(o)
      .map(([k, v]) => `${JSON.stringify(k)}:${typeof v === 'bigint' ? String(v) : JSON.stringify(v)}`)
      .join(',')}}`;
  return `{"numRecords":${numRecords},"minValues":${json(minValues)},"maxValues":${json(maxValues)},"nullCount":${json(nullCount)}}`;
}
