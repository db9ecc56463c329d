import { type Cells, type EncodedColumn, finish, general, nullCell, readAhead } from './column-cells';

/** Values at least this long are written by one native call. */
const NATIVE_MIN = 48;

/**
 * UTF-8 column: short values are copied byte by byte while they are ASCII (the usual case; a native call per value
 * costs more than copying a few characters); values of NATIVE_MIN characters or more are written by Buffer's UTF-8
 * encoder, whatever their characters (a raw event of ~1 KB: many times faster than the character loop); the first
 * short non-ASCII value switches the whole column to Buffer's encoder. Columns that repeat their values (type,
 * version) are dictionary-encoded instead (string-dictionary.ts): the values here are mostly distinct, so they are
 * not compared with the previous one (equal strings of equal length are compared to the end).
 */
export function strings(c: Cells): EncodedColumn {
  const { values, indexes, validity, col } = c;
  const n = indexes.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(initialBytes(values, indexes));
  let at = 0;
  let view: Buffer | undefined; // `bytes` as a Buffer, for native writes
  let nulls = 0;
  for (let j = 0; j < n; j++) {
    readAhead(values, indexes, j);
    const i = indexes[j]!;
    let v = values[i];
    if (v === null || v === undefined) {
      if (!col.nullable) nullCell(c, i);
      nulls++;
      offsets[j + 1] = at;
      continue;
    }
    if (typeof v !== 'string') v = general(c, i, v) as string;
    validity[j >> 3]! |= 1 << (j & 7);
    const len = v.length;
    if (len >= NATIVE_MIN) {
      // A long value (raw JSON, attachment lists): one native UTF-8 write, whatever its characters.
      if (at + 3 * len > bytes.length) bytes = grow(bytes, at + 3 * len);
      if (view?.buffer !== bytes.buffer) view = Buffer.from(bytes.buffer, 0, bytes.length);
      at += view.write(v, at, 'utf8');
    } else {
      if (at + len > bytes.length) bytes = grow(bytes, at + len);
      for (let k = 0; k < len; k++) {
        const code = v.charCodeAt(k);
        if (code > 0x7f) return stringsUtf8(c); // start again with the general encoder
        bytes[at++] = code;
      }
    }
    offsets[j + 1] = at;
  }
  c.nulls = nulls;
  return finish(c, { valueOffsets: offsets, data: bytes.subarray(0, at) }, { nullCount: nulls });
}

/** Byte capacity to start with: the mean length of ~64 cells spread over the column, times its rows, plus 25%. */
function initialBytes(values: Cells['values'], indexes: ArrayLike<number>): number {
  const n = indexes.length;
  const step = Math.max(1, Math.floor(n / 64));
  let chars = 0;
  let sampled = 0;
  for (let j = 0; j < n; j += step) {
    const v = values[indexes[j]!];
    if (typeof v === 'string') {
      chars += v.length;
      sampled++;
    }
  }
  return Math.max(1024, Math.ceil((sampled > 0 ? chars / sampled : 16) * n * 1.25));
}

function grow(bytes: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(Math.max(bytes.length * 2, need));
  bigger.set(bytes);
  return bigger;
}

/** UTF-8 column with non-ASCII values: each value's UTF-8 length gives the offsets, then utf8Each writes them. */
function stringsUtf8(c: Cells): EncodedColumn {
  const { values, indexes, validity } = c;
  const n = indexes.length;
  c.nulls = 0;
  validity.fill(0);
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  let bytes = 0;
  for (let j = 0; j < n; j++) {
    const i = indexes[j]!;
    let v = values[i];
    if (v === null || v === undefined) nullCell(c, i);
    else {
      if (typeof v !== 'string') v = general(c, i, v) as string;
      parts.push(v);
      bytes += Buffer.byteLength(v, 'utf8');
      validity[j >> 3]! |= 1 << (j & 7);
    }
    offsets[j + 1] = bytes;
  }
  return finish(c, { valueOffsets: offsets, data: utf8Each(c, parts, bytes) }, { nullCount: c.nulls });
}

/**
 * `parts` as UTF-8, one after another, each written on its own (joined, a lone surrogate ending one could pair with
 * one starting the next into a single character); `bytes` is the sum of their Buffer.byteLength, from which the
 * caller made its offsets. The bytes get their own buffer, not Buffer's shared pool: they move to the Parquet thread.
 */
export function utf8Each(c: Cells, parts: readonly string[], bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  const view = Buffer.from(data.buffer);
  let at = 0;
  for (const v of parts) at += view.write(v, at, 'utf8');
  if (at !== bytes) throw new Error(`column ${c.col.name}: ${at} UTF-8 bytes written, ${bytes} counted`);
  return data;
}
