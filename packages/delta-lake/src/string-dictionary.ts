import { type Cells, type EncodedColumn, finish, general, nullCell } from './column-cells';
import { utf8Each } from './string-column';

/** Columns of fewer rows are never dictionary-encoded (nothing to save). */
const MIN_ROWS = 16;
/** Cells sampled to guess whether a column repeats its values. */
const SAMPLE = 64;
/** Most entries a dictionary may have: at most 12-bit entry numbers in the pages. */
const MAX_ENTRIES = 1 << 12;

/**
 * Whether a string column looks worth a dictionary: at most a quarter of the cells sampled (about SAMPLE, spread
 * over it) are distinct (type, version, status: a handful of values in every batch). Ids, times and raw JSON are
 * distinct in every row.
 */
export function looksRepetitive(values: Cells['values'], indexes: ArrayLike<number>): boolean {
  const n = indexes.length;
  if (n < MIN_ROWS) return false;
  const step = Math.max(1, Math.floor(n / SAMPLE));
  const seen: unknown[] = [];
  let sampled = 0;
  for (let j = 0; j < n; j += step) {
    const v = values[indexes[j]!];
    sampled++;
    if (!seen.includes(v) && seen.push(v) > SAMPLE / 4) return false;
  }
  return seen.length * 4 <= sampled;
}

/**
 * A string column as a dictionary of its distinct values and each row's entry number, or undefined when it has
 * more distinct values than a dictionary may hold (the caller then encodes it plain; the work done is at most one
 * pass). A cell equal to the previous one (the usual case) takes its entry without a lookup. Parquet pages store
 * the entry numbers bit-packed or run-length encoded (parquet-dictionary.ts): a column of one value costs a few
 * bytes instead of its value in every row, on this thread and on the Parquet thread.
 */
export function dictionaryStrings(c: Cells): EncodedColumn | undefined {
  const { values, indexes, validity, col } = c;
  const n = indexes.length;
  const limit = Math.min(MAX_ENTRIES, Math.max(MIN_ROWS, n >> 2));
  const ids = new Int32Array(n);
  const entries: string[] = [];
  const entryOf = new Map<string, number>();
  let prev: string | undefined;
  let prevId = 0;
  let nulls = 0;
  for (let j = 0; j < n; j++) {
    const i = indexes[j]!;
    let v = values[i];
    if (v === null || v === undefined) {
      if (!col.nullable) nullCell(c, i);
      nulls++;
      continue;
    }
    if (v !== prev) {
      if (typeof v !== 'string') v = general(c, i, v) as string;
      let id = entryOf.get(v);
      if (id === undefined) {
        if (entries.length === limit) {
          validity.fill(0); // left as found, for the plain encoder
          return undefined;
        }
        id = entries.push(v) - 1;
        entryOf.set(v, id);
      }
      prev = v;
      prevId = id;
    }
    ids[j] = prevId;
    validity[j >> 3]! |= 1 << (j & 7);
  }
  if (entries.length === 0) return undefined; // all null: plain, without an empty dictionary
  c.nulls = nulls;
  const offsets = new Int32Array(entries.length + 1);
  let bytes = 0;
  for (let e = 0; e < entries.length; e++) offsets[e + 1] = bytes += Buffer.byteLength(entries[e]!, 'utf8');
  const dictionary = { valueOffsets: offsets, data: utf8Each(c, entries, bytes) };
  return finish(c, { data: ids, dictionary }, { nullCount: nulls });
}
