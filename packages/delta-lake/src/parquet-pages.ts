import { compressSync } from 'snappy';
import {
  type ColumnBuffers,
  type ColumnChunk,
  DATA_PAGE,
  DICTIONARY_PAGE,
  ENCODING,
  LAYOUT,
  PAGE_BYTES,
  PHYSICAL,
} from './parquet-format';
import { dictionaryPageBody, encodeEntryNumbers } from './parquet-dictionary';
import { stringMinMax } from './string-stats';
import { type Fields, ThriftWriter, type ThriftValue, i32, serialise, struct } from './thrift-compact';

/**
 * A column's Arrow-layout buffers (validity bitmap, value offsets, values) → its Parquet column chunk: data pages v1
 * of PLAIN values with RLE/bit-packed definition levels, snappy-compressed (parquet-format.ts); a dictionary-encoded
 * string column starts with its dictionary page and its data pages hold entry numbers (parquet-dictionary.ts).
 * Runs on the Parquet thread, one column at a time, while the writer's thread encodes the next column.
 */
export function encodeColumnChunk(c: ColumnBuffers, pageBytes = PAGE_BYTES): ColumnChunk {
  checkBuffers(c);
  const pages: Uint8Array[] = [];
  let uncompressedSize = 0;
  let size = 0;
  const addPage = (body: Uint8Array, header: (compressed: number) => ThriftValue) => {
    const data = compressSync(body);
    const head = serialise(header(data.length));
    pages.push(head, data);
    uncompressedSize += head.length + body.length;
    size += head.length + data.length;
  };
  const entries = c.dictionary ? c.dictionary.valueOffsets.length - 1 : 0;
  if (c.dictionary) {
    const body = dictionaryPageBody(c.dictionary);
    const header = [
      [1, i32(entries)],
      [2, i32(ENCODING.PLAIN_DICTIONARY)],
    ] as const;
    addPage(body, (compressed) => pageHeader(DICTIONARY_PAGE, body.length, compressed, [7, struct(header)]));
  }
  const dictionaryPageSize = c.dictionary ? size : undefined;
  const valueEncoding = c.dictionary ? ENCODING.PLAIN_DICTIONARY : ENCODING.PLAIN;
  for (const [from, to] of pageRanges(c, pageBytes)) {
    const body = pageBody(c, from, to, entries);
    const header = [
      [1, i32(to - from)],
      [2, i32(valueEncoding)],
      [3, i32(ENCODING.RLE)],
      [4, i32(ENCODING.RLE)],
    ] as const;
    addPage(body, (compressed) => pageHeader(DATA_PAGE, body.length, compressed, [5, struct(header)]));
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of pages) {
    bytes.set(p, at);
    at += p.length;
  }
  const { name, type, length, nullCount } = c;
  const stringStats = stringMinMax(c);
  return { name, type, length, nullCount, bytes, uncompressedSize, dictionaryPageSize, stringStats, ...minMax(c) };
}

/** A PageHeader: its type, sizes and the header of its kind (field 5: data page, 7: dictionary page). */
function pageHeader(type: number, size: number, compressed: number, kind: Fields[number]): ThriftValue {
  return struct([[1, i32(type)], [2, i32(size)], [3, i32(compressed)], kind]);
}

/** The buffers hold `length` values (a wrong one would write a file that reads back as other values). */
function checkBuffers(c: ColumnBuffers): void {
  const { width } = LAYOUT[c.type];
  const bitmapBytes = (c.length + 7) >> 3;
  const fail = (problem: string) => {
    throw new Error(`column ${c.name} (${c.type}, ${c.length} values): ${problem}`);
  };
  if (c.nullCount > 0 && c.nullCount < c.length && (c.nullBitmap?.length ?? 0) < bitmapBytes)
    fail('validity bitmap too short');
  if (width > 0 && c.data.byteLength < c.length * width) fail(`only ${c.data.byteLength} bytes of values`);
  if (width < 0 && c.data.byteLength < bitmapBytes) fail(`only ${c.data.byteLength} bytes of bits`);
  if (c.dictionary) {
    const d = c.dictionary;
    const entries = d.valueOffsets.length - 1;
    if (!(c.data instanceof Int32Array) || c.data.length < c.length) fail('dictionary entry numbers do not fit');
    if (entries < 1 || d.data.byteLength < d.valueOffsets[entries]!) fail('dictionary offsets do not fit its values');
  } else if (width === 0) {
    const offsets = c.valueOffsets;
    if (!offsets || offsets.length < c.length + 1 || c.data.byteLength < offsets[c.length]!)
      fail('value offsets do not fit the values');
  }
}

/** Row ranges of the pages; each starts at a multiple of 8 rows, so its levels are whole bytes of the bitmap. */
function pageRanges(c: ColumnBuffers, pageBytes: number): [number, number][] {
  const n = c.length;
  const { width } = LAYOUT[c.type];
  const ranges: [number, number][] = [];
  if (width !== 0 || c.dictionary) {
    // Entry numbers of a dictionary take at most 4 bytes each.
    const perPage = c.dictionary ? pageBytes / 4 : width > 0 ? pageBytes / width : pageBytes * 8;
    const step = Math.max(8, Math.floor(perPage / 8) * 8);
    for (let from = 0; from < n || from === 0; from += step) ranges.push([from, Math.min(n, from + step)]);
    return ranges;
  }
  const offsets = c.valueOffsets!;
  let from = 0;
  for (let to = 8; to < n; to += 8) {
    if (offsets[to]! - offsets[from]! + 4 * (to - from) > pageBytes) {
      ranges.push([from, to]);
      from = to;
    }
  }
  ranges.push([from, n]);
  return ranges;
}

/** Number of bits set in each byte value. */
const BITS_SET = Uint8Array.from({ length: 256 }, (_, b) => b.toString(2).replaceAll('0', '').length);

/**
 * Rows [from, to) of a data page: the definition levels' length (4 bytes, little-endian), the levels (RLE/bit-packed
 * hybrid, bit width 1: one run when all are valid or all null, else the validity bitmap itself as one bit-packed run),
 * then the PLAIN values of the valid rows, or their entry numbers in a dictionary of `entries` (parquet-dictionary.ts).
 */
function pageBody(c: ColumnBuffers, from: number, to: number, entries: number): Uint8Array {
  const n = to - from;
  const bitmap = c.nullCount > 0 && c.nullCount < c.length ? c.nullBitmap : undefined;
  let valid = c.nullCount === c.length ? 0 : n;
  if (bitmap) {
    valid = 0;
    for (let b = from >> 3; b < to >> 3; b++) valid += BITS_SET[bitmap[b]!]!;
    if (to & 7) valid += BITS_SET[bitmap[to >> 3]! & ((1 << (to & 7)) - 1)]!; // the last rows, not the bits after them
  }
  const packedBytes = valid > 0 && valid < n ? (n + 7) >> 3 : 0;
  const run = new ThriftWriter(); // a run header is the same unsigned varint as Thrift's
  if (n > 0) {
    run.varint(packedBytes > 0 ? packedBytes * 2 + 1 : n * 2); // bit-packed run of groups of 8, or RLE run of n
    if (packedBytes === 0) run.byte(valid > 0 ? 1 : 0);
  }
  const levels = run.result();
  const levelsSize = levels.length + packedBytes;
  // Entry numbers: the bit width even for a page of nulls only (readers read it before looking at the count).
  const ids = c.dictionary ? encodeEntryNumbers(c.data as Int32Array, bitmap, from, to, entries) : undefined;
  const body = new Uint8Array(4 + levelsSize + (ids ? ids.length : plainSize(c, from, to, valid)));
  new DataView(body.buffer).setUint32(0, levelsSize, true);
  body.set(levels, 4);
  if (packedBytes > 0) body.set(bitmap!.subarray(from >> 3, (from >> 3) + packedBytes), 4 + levels.length);
  if (ids) body.set(ids, 4 + levelsSize);
  const end = valid === 0 || ids ? body.length : writePlain(c, from, to, bitmap, body, 4 + levelsSize);
  if (end !== body.length) throw new Error(`column ${c.name}: page of ${end} bytes, expected ${body.length}`);
  return body;
}

function plainSize(c: ColumnBuffers, from: number, to: number, valid: number): number {
  const { width } = LAYOUT[c.type];
  if (width > 0) return valid * width;
  if (width < 0) return (valid + 7) >> 3;
  return c.valueOffsets![to]! - c.valueOffsets![from]! + 4 * valid; // a null's value is empty (its offsets repeat)
}

const isValid = (bitmap: Uint8Array | undefined, i: number) => !bitmap || (bitmap[i >> 3]! & (1 << (i & 7))) !== 0;

/** PLAIN values of the valid rows in [from, to) into `out` from `at`; returns where they end. */
function writePlain(
  c: ColumnBuffers,
  from: number,
  to: number,
  bitmap: Uint8Array | undefined,
  out: Uint8Array,
  at: number,
): number {
  const { width } = LAYOUT[c.type];
  const bytes = new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength);
  if (width === 0) {
    // Strings: each valid value as its length (4 bytes, little-endian) and its UTF-8 bytes.
    const offsets = c.valueOffsets!;
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = from; i < to; i++) {
      if (!isValid(bitmap, i)) continue;
      const s = offsets[i]!;
      const len = offsets[i + 1]! - s;
      view.setUint32(at, len, true);
      at += 4;
      if (len < 64) for (let k = 0; k < len; k++) out[at + k] = bytes[s + k]!;
      else out.set(bytes.subarray(s, s + len), at);
      at += len;
    }
    return at;
  }
  if (width < 0) {
    // Booleans: the valid rows' bits, packed from the first bit of the first byte (`out` starts zeroed).
    let k = 0;
    for (let i = from; i < to; i++) {
      if (!isValid(bitmap, i)) continue;
      if (bytes[i >> 3]! & (1 << (i & 7))) out[at + (k >> 3)]! |= 1 << (k & 7);
      k++;
    }
    return at + ((k + 7) >> 3);
  }
  if (!bitmap) {
    out.set(bytes.subarray(from * width, to * width), at);
    return at + (to - from) * width;
  }
  for (let i = from; i < to; i++) {
    if (!isValid(bitmap, i)) continue;
    for (let k = i * width, end = k + width; k < end; k++) out[at++] = bytes[k]!; // bit patterns kept as they are
  }
  return at;
}

/**
 * Min and max (PLAIN bytes) of integer, date and timestamp columns. None for strings (a data file is one row group,
 * so the Delta log's stats already do the skipping row-group stats would), doubles (NaN and signed-zero rules) and
 * booleans.
 */
function minMax(c: ColumnBuffers): { min?: Uint8Array; max?: Uint8Array } {
  const { physical } = LAYOUT[c.type];
  if (c.nullCount === c.length || (physical !== PHYSICAL.INT32 && physical !== PHYSICAL.INT64)) return {};
  const bitmap = c.nullCount > 0 ? c.nullBitmap : undefined;
  const words = physical === PHYSICAL.INT64 ? 2 : 1;
  // Compare (high word signed, low word unsigned): an int64 without a BigInt per value.
  const s = new Int32Array(c.data.buffer, c.data.byteOffset, c.length * words);
  const u = new Uint32Array(c.data.buffer, c.data.byteOffset, c.length * words);
  const less = (a: number, b: number) =>
    words === 1
      ? s[a]! < s[b]!
      : s[2 * a + 1]! < s[2 * b + 1]! || (s[2 * a + 1] === s[2 * b + 1] && u[2 * a]! < u[2 * b]!);
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < c.length; i++) {
    if (!isValid(bitmap, i)) continue;
    if (lo < 0 || less(i, lo)) lo = i;
    if (hi < 0 || less(hi, i)) hi = i;
  }
  const bytes = new Uint8Array(c.data.buffer, c.data.byteOffset, c.length * 4 * words);
  const value = (i: number) => bytes.slice(i * 4 * words, (i + 1) * 4 * words);
  return { min: value(lo), max: value(hi) };
}
