import assert from 'node:assert/strict';
import { Utf8, vectorFromArray } from 'apache-arrow';
import { addKeys } from '../../src/data-files';
import { hashBytes, KeySet } from '../../src/key-set';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('KeySet (row keys as bytes)', () => {
  it('holds what a Set<string> holds: adds, repeats, growth, non-ASCII and empty keys', () => {
    const set = new KeySet();
    const reference = new Set<string>();
    const keys = ['', 'é', 'ü-日本', 'a', 'ab', 'ba'];
    for (let i = 0; i < 20_000; i++) keys.push(`evt-${(i * 7919) % 15_000}`); // 5,000 repeats
    for (const k of keys) {
      const bytes = utf8(`xx${k}yy`); // the key inside a larger buffer
      assert.equal(set.addBytes(bytes, 2, bytes.length - 2), !reference.has(k), k);
      reference.add(k);
    }
    assert.equal(set.size, reference.size);
    for (const k of reference) assert.ok(set.hasString(k), k);
    for (const k of ['evt-15000', 'e', 'evt-1 ', 'É']) assert.ok(!set.hasString(k), k);
    assert.ok(!set.addString('evt-14999'));
    assert.ok(set.addString('evt-15000'));
  });

  it('grows past the room it was made with', () => {
    const set = new KeySet(2, 3);
    for (let i = 0; i < 1000; i++) assert.ok(set.addString(`key-${i}`), `key-${i}`);
    for (let i = 0; i < 1000; i++) assert.ok(!set.addString(`key-${i}`) && set.hasString(`key-${i}`), `key-${i}`);
    assert.equal(set.size, 1000);
  });

  it('tells apart keys whose hashes are equal (a collision costs a comparison, never a row)', () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const k = `key-${i}`;
      const h = hashBytes(utf8(k), 0, Buffer.byteLength(k));
      const other = seen.get(h);
      if (other !== undefined) pair = [other, k];
      else seen.set(h, k);
    }
    const set = new KeySet();
    assert.ok(set.addString(pair[0]));
    assert.ok(!set.hasString(pair[1]), `${pair[1]} is not ${pair[0]}`);
    assert.ok(set.addString(pair[1]));
    assert.ok(!set.addString(pair[0]));
    assert.equal(set.size, 2);
  });

  it('compares entries of another set and adds them all', () => {
    const table = new KeySet();
    const batch = new KeySet();
    for (let i = 0; i < 1000; i++) table.addString(`k${i}`);
    for (let i = 500; i < 1500; i++) batch.addString(`k${i}`);
    const inTable = Array.from({ length: batch.size }, (_, e) => table.hasEntryOf(batch, e));
    assert.deepEqual(
      inTable,
      Array.from({ length: 1000 }, (_, e) => e < 500),
    ); // entry e is k(500 + e)
    table.addAll(batch);
    assert.equal(table.size, 1500);
    for (let i = 0; i < 1500; i++) assert.ok(table.hasString(`k${i}`));
  });

  it('takes the keys of an Arrow column as stored: strings whole or sliced, nulls left out, other types as strings', () => {
    const strings = vectorFromArray(['a', 'bb', 'ccc', 'dé', 'e'], new Utf8());
    const sliced = new KeySet();
    addKeys(strings.slice(2), sliced);
    assert.equal(sliced.size, 3);
    for (const k of ['ccc', 'dé', 'e']) assert.ok(sliced.hasString(k), k);
    assert.ok(!sliced.hasString('a') && !sliced.hasString('bb'));
    const withNulls = new KeySet();
    addKeys(vectorFromArray(['x', null, 'y'], new Utf8()), withNulls);
    assert.equal(withNulls.size, 2);
    const numbers = new KeySet();
    addKeys(vectorFromArray([1, 22]), numbers);
    assert.ok(numbers.hasString('22'));
  });
});
