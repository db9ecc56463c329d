import assert from 'node:assert/strict';
import { stringMinMax } from '../../src/string-stats';
import { encodeStrings } from '../support/string-columns';

/** The column's min/max as the writer computes them, dictionary-encoded or plain. */
function minMaxOf(values: (string | null)[], plain: boolean) {
  const column = encodeStrings(values, plain);
  assert.equal(column.dictionary === undefined, plain, 'encoded as asked');
  return stringMinMax(column);
}

/** Reference: sorted as UTF-8 bytes (unsigned), which is how Spark and delta-rs order strings. */
function byBytes(values: (string | null)[]) {
  const sorted = values
    .filter((v): v is string => v !== null)
    .map((v) => Buffer.from(v, 'utf8'))
    .sort(Buffer.compare);
  return sorted.length ? { min: sorted[0]!.toString('utf8'), max: sorted.at(-1)!.toString('utf8') } : undefined;
}

describe('String min/max for the Delta stats (worked out on the Parquet thread)', () => {
  const repeated = (vs: (string | null)[]) => Array.from({ length: 400 }, (_, i) => vs[i % vs.length]!);
  const cases: Record<string, (string | null)[]> = {
    ascii: ['b', 'a', 'ab', '', 'abc', 'B', null, 'zz', 'z'],
    'non-ASCII, where UTF-16 order differs from byte order': ['\uff5e', '😀', 'é', 'e', null, 'z', '日本'],
    'a prefix sorts first': ['abc', 'ab', 'abcd', 'a'],
    'exactly 32 characters, some of them astral (64 UTF-16 units)': ['😀'.repeat(32), 'a'.repeat(32), 'ü'.repeat(32)],
  };
  for (const [name, values] of Object.entries(cases)) {
    it(`${name}: as bytes sort them, plain and dictionary-encoded`, () => {
      assert.deepEqual(minMaxOf(values, true), byBytes(values));
      assert.deepEqual(minMaxOf(repeated(values), false), byBytes(values));
    });
  }

  it('none when a value has more than 32 characters (a truncated max would be wrong), or no value is there', () => {
    for (const long of ['x'.repeat(33), '😀'.repeat(33), 'ü'.repeat(33)]) {
      assert.equal(minMaxOf(['a', long, 'b'], true), undefined, long);
      assert.equal(minMaxOf(repeated(['a', long, 'b']), false), undefined, long);
    }
    assert.equal(minMaxOf([null, null], true), undefined);
    assert.deepEqual(
      minMaxOf(['ü'.repeat(20), 'b'], true),
      { min: 'b', max: 'ü'.repeat(20) },
      '40 bytes, 20 characters',
    );
  });
});
