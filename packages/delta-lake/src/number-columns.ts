import { type Cells, type ColumnStats, type EncodedColumn, finish, general, nullCell, readAhead } from './column-cells';

const DAY_MS = 86_400_000;
const TWO_32 = 2 ** 32;

/** Epoch milliseconds of a timestamp cell (Date or ISO-8601 string). */
export function timestampMillis(c: Cells, i: number, v: unknown): number {
  if (v instanceof Date) {
    const ms = v.getTime();
    if (ms === ms) return ms;
  } else if (typeof v === 'string') {
    const ms = isoMillis(v);
    if (ms === ms) return ms;
  }
  return general(c, i, v) as number;
}

const digit = (s: string, k: number): number => s.charCodeAt(k) - 48;
const twoDigits = (s: string, k: number): number => digit(s, k) * 10 + digit(s, k + 1);

/**
 * Epoch milliseconds of an ISO-8601 time, as Date.parse gives them, read directly when it has the form
 * toISOString writes (`YYYY-MM-DDTHH:MM:SS.sssZ`, or without the milliseconds) — the pipeline's event times
 * (~10× faster than Date.parse); any other form, and out-of-range fields, go to Date.parse.
 */
export function isoMillis(s: string): number {
  const n = s.length;
  if (
    (n !== 24 && n !== 20) ||
    s.charCodeAt(n - 1) !== 90 || // Z
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    (n === 24 && s.charCodeAt(19) !== 46) // .
  ) {
    return Date.parse(s);
  }
  for (const k of n === 24 ? ISO_DIGITS_MS : ISO_DIGITS) {
    const d = digit(s, k);
    if (d < 0 || d > 9) return Date.parse(s);
  }
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  const ms = n === 24 ? digit(s, 20) * 100 + twoDigits(s, 21) : 0;
  // Date.UTC maps years 0-99 to 1900-1999, and rolls over out-of-range fields where Date.parse may not.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) {
    return Date.parse(s);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const ISO_DIGITS_MS = [...ISO_DIGITS, 20, 21, 22];

export function longValue(c: Cells, i: number, v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  return Number(general(c, i, v)); // throws for anything but a safe integer (bigints are handled by the caller)
}

export function numberValue(c: Cells, i: number, v: unknown): number {
  return general(c, i, v) as number;
}

/** Days since the epoch of a date cell; 'YYYY-MM-DD' strings repeat, so the last one's days are reused. */
export function dateDays(c: Cells, i: number, v: unknown, last: { s?: string; days: number }): number {
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
export function int64s(c: Cells, value: (c: Cells, i: number, v: unknown) => number): EncodedColumn {
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
    if (micros) readAhead(values, indexes, j); // Date objects
    const i = indexes[j]!;
    const v = values[i];
    if (v === null || v === undefined) {
      nullCell(c, i);
      continue;
    }
    if (typeof v === 'bigint') {
      general(c, i, v); // type and 64-bit range check
      words[j] = v; // a long, or a timestamp given in microseconds
      validity[j >> 3]! |= 1 << (j & 7);
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
    validity[j >> 3]! |= 1 << (j & 7);
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
  return finish(c, { data: words }, stats);
}

export function fixed(
  c: Cells,
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
    const i = indexes[j]!;
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
    validity[j >> 3]! |= 1 << (j & 7);
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
  return finish(c, { data: out }, stats);
}

export function booleans(c: Cells): EncodedColumn {
  const { values, indexes, validity } = c;
  const n = indexes.length;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let j = 0; j < n; j++) {
    const i = indexes[j]!;
    let v = values[i];
    if (v === null || v === undefined) {
      nullCell(c, i);
      continue;
    }
    if (typeof v !== 'boolean') v = general(c, i, v) as boolean;
    if (v) bits[j >> 3]! |= 1 << (j & 7);
    validity[j >> 3]! |= 1 << (j & 7);
  }
  return finish(c, { data: bits }, { nullCount: c.nulls }); // no min/max for booleans
}

const isoDay = (days: number): string => new Date(days * DAY_MS).toISOString().slice(0, 10);
