import type { StringDictionary } from './column-cells';
import { ThriftWriter } from './thrift-compact';

/**
 * Dictionary-encoded string columns in Parquet (parquet-pages.ts writes the pages): the column chunk starts with a
 * dictionary page, the PLAIN values of the dictionary's entries; each data page then holds, after its definition
 * levels, the entry numbers of its valid rows as one byte of bit width followed by the RLE / bit-packed hybrid
 * (parquet-format's Encodings.md): a run of 8 or more equal numbers as one RLE run (count, value), anything else
 * as groups of 8 numbers packed at that bit width, least significant bit first. Pages say PLAIN_DICTIONARY, as
 * Parquet 1.0 writers (parquet-mr, Spark) do; every reader takes it.
 */

/** Longest bit-packed run written, in groups of 8 (what parquet-mr writes; its header is one byte). */
const MAX_GROUPS = 63;

/** The PLAIN values of the dictionary's entries (4-byte little-endian length, then the bytes), for its page. */
export function dictionaryPageBody(d: StringDictionary): Uint8Array {
  const entries = d.valueOffsets.length - 1;
  const body = new Uint8Array(4 * entries + d.valueOffsets[entries]!);
  const view = new DataView(body.buffer);
  let at = 0;
  for (let e = 0; e < entries; e++) {
    const from = d.valueOffsets[e]!;
    const to = d.valueOffsets[e + 1]!;
    view.setUint32(at, to - from, true);
    body.set(d.data.subarray(from, to), at + 4);
    at += 4 + to - from;
  }
  return body;
}

/** Bits per entry number: enough for the largest, at least 1 (at most 23: see pack). */
export function bitWidthOf(entries: number): number {
  let bits = 1;
  while (entries - 1 >= 2 ** bits) bits++;
  if (bits > 23) throw new Error(`a dictionary of ${entries} entries is too large`);
  return bits;
}

/**
 * The entry numbers `ids` of the valid rows in [from, to) (all rows when `bitmap` is undefined), as a data page's
 * values: bit width, then the hybrid runs. A number outside the dictionary is an error, not a page pointing nowhere.
 */
export function encodeEntryNumbers(
  ids: Int32Array,
  bitmap: Uint8Array | undefined,
  from: number,
  to: number,
  entries: number,
): Uint8Array {
  let values = ids.subarray(from, to);
  if (bitmap) {
    values = new Int32Array(to - from);
    let m = 0;
    for (let i = from; i < to; i++) if (bitmap[i >> 3]! & (1 << (i & 7))) values[m++] = ids[i]!;
    values = values.subarray(0, m);
  }
  for (const v of values) if (!(v >= 0 && v < entries)) throw new Error(`entry number ${v} of ${entries}`);
  const width = bitWidthOf(entries);
  const out = new ThriftWriter(); // its varint is the hybrid's run header
  out.byte(width);
  const m = values.length;
  let i = 0;
  while (i < m) {
    const run = runLength(values, i, m);
    if (run >= 8) {
      out.varint(run * 2); // RLE run: count << 1, then the value in whole bytes, little-endian
      for (let b = 0; b < width; b += 8) out.byte((values[i]! >>> b) & 0xff);
      i += run;
      continue;
    }
    // Groups of 8 until a run of 8 starts at a group's start; only the last group of the page is padded.
    let groups = 0;
    do groups++;
    while (i + groups * 8 < m && groups < MAX_GROUPS && runLength(values, i + groups * 8, i + groups * 8 + 8) < 8);
    out.varint(groups * 2 + 1);
    pack(values, i, Math.min(m, i + groups * 8), groups * 8, width, out);
    i += groups * 8;
  }
  return out.result();
}

/** How many values from i on (before `end`) equal values[i]. */
function runLength(values: Int32Array, i: number, end: number): number {
  const limit = Math.min(end, values.length);
  let k = i + 1;
  while (k < limit && values[k] === values[i]) k++;
  return k - i;
}

/** `count` numbers from `from` packed at `width` bits, least significant bit first; those past `to` are 0. */
function pack(values: Int32Array, from: number, to: number, count: number, width: number, out: ThriftWriter): void {
  let acc = 0;
  let bits = 0;
  for (let k = 0; k < count; k++) {
    const v = from + k < to ? values[from + k]! : 0;
    acc += v * 2 ** bits; // below 2^31: width <= 23 and fewer than 8 bits pending
    bits += width;
    while (bits >= 8) {
      out.byte(acc & 0xff);
      acc = Math.floor(acc / 256);
      bits -= 8;
    }
  }
}
