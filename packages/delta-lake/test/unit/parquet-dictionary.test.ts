import assert from 'node:assert/strict';
import { bitWidthOf, encodeEntryNumbers } from '../../src/parquet-dictionary';

/**
 * The RLE / bit-packed hybrid read back as parquet-format's Encodings.md defines it: bit width byte, then runs
 * (header varint: count << 1 for RLE, groups << 1 | 1 for bit-packed). Returns the first `count` values and the
 * runs seen, and fails on bytes left over or missing.
 */
function decode(bytes: Uint8Array, count: number): { values: number[]; runs: string[] } {
  const width = bytes[0];
  let at = 1;
  const values: number[] = [];
  const runs: string[] = [];
  const varint = () => {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      n += (b! & 0x7f) * 2 ** shift;
      if (b! < 0x80) return n;
    }
  };
  while (at < bytes.length) {
    const header = varint();
    if (header % 2 === 0) {
      let v = 0;
      for (let b = 0; b < Math.ceil(width! / 8); b++) v += bytes[at++]! * 2 ** (8 * b);
      for (let k = 0; k < header / 2; k++) values.push(v);
      runs.push(`rle ${header / 2}`);
    } else {
      const n = ((header - 1) / 2) * 8;
      for (let k = 0; k < n; k++) {
        let v = 0;
        for (let bit = 0; bit < width!; bit++) {
          const pos = k * width! + bit;
          if (bytes[at + (pos >> 3)]! & (1 << (pos & 7))) v += 2 ** bit;
        }
        values.push(v);
      }
      at += (n * width!) / 8;
      runs.push(`packed ${n}`);
    }
  }
  assert.equal(at, bytes.length, 'runs end where the bytes do');
  assert.ok(values.length >= count && values.length < count + 8, `${values.length} values for ${count}`);
  return { values: values.slice(0, count), runs };
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('Parquet dictionary entry numbers (RLE / bit-packed hybrid)', () => {
  it('bit width fits the largest entry number, at least 1', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 8, 9, 4096, 4097].map(bitWidthOf), [1, 1, 2, 2, 3, 3, 4, 12, 13]);
    assert.throws(() => bitWidthOf(2 ** 24 + 1), /too large/);
  });

  const patterns: Record<string, (n: number, entries: number, random: () => number) => number[]> = {
    'one value': (n) => Array.from({ length: n }, () => 0),
    'runs of 1-20': (n, e, r) => {
      const out: number[] = [];
      while (out.length < n) out.push(...Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * e)));
      return out.slice(0, n);
    },
    'runs of exactly 7, 8 and 9': (n, e) =>
      Array.from({ length: n }, (_, i) => ((i % 24 < 7 ? 1 : i % 24 < 15 ? 2 : 3) * 7) % e),
    'no two alike in a row (long bit-packed stretches)': (n, e) => Array.from({ length: n }, (_, i) => i % e),
    random: (n, e, r) => Array.from({ length: n }, () => Math.floor(r() * e)),
  };
  for (const [name, make] of Object.entries(patterns)) {
    it(`${name}: every width and count reads back`, () => {
      const random = lcg(name.length);
      for (const entries of [1, 2, 3, 17, 255, 256, 4096]) {
        for (const n of [1, 7, 8, 9, 63 * 8 + 1, 2000]) {
          const values = make(n, entries, random);
          const bytes = encodeEntryNumbers(Int32Array.from(values), undefined, 0, n, entries);
          assert.equal(bytes[0], bitWidthOf(entries));
          assert.deepEqual(decode(bytes, n).values, values, `${entries} entries, ${n} values`);
        }
      }
    });
  }

  it('uses RLE for runs of 8 or more and bit-packs the rest in groups of 8, at most 63 groups a run', () => {
    const values = [...Array.from({ length: 20 }, () => 5), 1, 2, 3, ...Array.from({ length: 600 }, (_, i) => i % 4)];
    const { runs } = decode(encodeEntryNumbers(Int32Array.from(values), undefined, 0, values.length, 6), values.length);
    assert.deepEqual(runs, ['rle 20', 'packed 504', 'packed 104']); // 603 bit-packed values: 63 groups, then the rest
  });

  it('takes only the valid rows of [from, to), by the validity bitmap', () => {
    const n = 100;
    const ids = Int32Array.from({ length: n }, (_, i) => i % 5);
    const bitmap = new Uint8Array(13);
    for (let i = 0; i < n; i++) if (i % 3 !== 0) bitmap[i >> 3]! |= 1 << (i & 7);
    const want: number[] = [];
    for (let i = 16; i < 90; i++) if (i % 3 !== 0) want.push(ids[i]!);
    assert.deepEqual(decode(encodeEntryNumbers(ids, bitmap, 16, 90, 5), want.length).values, want);
  });

  it('a page of nulls only still starts with the bit width (readers read it before the count)', () => {
    assert.deepEqual([...encodeEntryNumbers(Int32Array.from([1, 2, 0]), new Uint8Array(1), 0, 3, 3)], [2]);
  });

  it('refuses an entry number outside the dictionary', () => {
    assert.throws(() => encodeEntryNumbers(Int32Array.from([0, 3]), undefined, 0, 2, 3), /entry number 3 of 3/);
    assert.throws(() => encodeEntryNumbers(Int32Array.from([-1]), undefined, 0, 1, 3), /entry number -1/);
  });
});
