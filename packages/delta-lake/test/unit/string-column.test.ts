import assert from 'node:assert/strict';
import { encodeStrings } from '../support/string-columns';

/** Each cell's bytes as the encoded column holds them (plain, or through its dictionary). */
function cellBytes(values: (string | null)[], plain: boolean): (string | null)[] {
  const c = encodeStrings(values, plain);
  const { valueOffsets, data } = c.dictionary ?? { valueOffsets: c.valueOffsets!, data: c.data as Uint8Array };
  return values.map((v, j) => {
    if (v === null) return null;
    const e = c.dictionary ? (c.data as Int32Array)[j] : j;
    return Buffer.from(data.subarray(valueOffsets[e!], valueOffsets[e! + 1])).toString('hex');
  });
}

describe('String columns as UTF-8', () => {
  it('lone surrogates in neighbouring values stay apart (each one U+FFFD), plain and dictionary-encoded', () => {
    // What Buffer writes for each value on its own: 'a' + U+FFFD, U+FFFD + 'b', 'é', and a real pair.
    const values = ['a\ud83d', '\ude00b', 'é', null, '\ud83d\ude00'];
    const want = values.map((v) => (v === null ? null : Buffer.from(v, 'utf8').toString('hex')));
    assert.deepEqual(want.slice(0, 2), ['61efbfbd', 'efbfbd62']);
    assert.deepEqual(cellBytes(values, true), want);
    const repeated = Array.from({ length: 100 }, (_, k) => values[k % values.length]!);
    assert.deepEqual(
      cellBytes(repeated, false),
      repeated.map((v) => (v === null ? null : Buffer.from(v, 'utf8').toString('hex'))),
    );
  });
});
