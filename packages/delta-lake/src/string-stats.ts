import type { ColumnBuffers } from './parquet-format';

/** Strings longer than this many characters get no min/max: a truncated max would be wrong. */
const STAT_STRING_MAX = 32;

/**
 * Min and max of a string column for the Delta log's stats, computed on the Parquet thread from the column's UTF-8
 * bytes (the writer's thread only copies the strings): compared as unsigned bytes, which is code point order and
 * how Spark and delta-rs compare strings. None when the column has no value, or one of more than STAT_STRING_MAX
 * characters (code points). A dictionary-encoded column's values are its dictionary's entries.
 */
export function stringMinMax(c: ColumnBuffers): { min: string; max: string } | undefined {
  const offsets = c.dictionary ? c.dictionary.valueOffsets : c.valueOffsets;
  if (!offsets || c.type !== 'string' || c.nullCount === c.length) return undefined;
  const bytes = c.dictionary ? c.dictionary.data : (c.data as Uint8Array);
  const count = c.dictionary ? offsets.length - 1 : c.length;
  const bitmap = !c.dictionary && c.nullCount > 0 ? c.nullBitmap : undefined;
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < count; i++) {
    if (bitmap && (bitmap[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    if (to - from > STAT_STRING_MAX && codePoints(bytes, from, to) > STAT_STRING_MAX) return undefined;
    if (lo < 0) lo = hi = i;
    else if (compare(bytes, from, to, offsets[hi]!, offsets[hi + 1]!) > 0) hi = i;
    else if (compare(bytes, from, to, offsets[lo]!, offsets[lo + 1]!) < 0) lo = i;
  }
  if (lo < 0) return undefined;
  const text = (i: number) => Buffer.from(bytes.buffer, bytes.byteOffset + offsets[i]!, offsets[i + 1]! - offsets[i]!);
  return { min: text(lo).toString('utf8'), max: text(hi).toString('utf8') };
}

/** Unsigned byte comparison of bytes[a, aEnd) and bytes[b, bEnd): negative, 0 or positive. */
function compare(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let k = 0; k < n; k++) {
    const d = bytes[a + k]! - bytes[b + k]!;
    if (d !== 0) return d;
  }
  return aEnd - a - (bEnd - b);
}

/** Characters (code points) of UTF-8 bytes: the bytes that do not continue a character. */
function codePoints(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if ((bytes[k]! & 0xc0) !== 0x80) n++;
  return n;
}
