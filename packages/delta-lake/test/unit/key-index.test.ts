import assert from 'node:assert/strict';
import { KeyIndex } from '../../src/key-index';
import type { KeySet } from '../../src/key-set';

/** Which keys a partition holds, kept from its live data files (issue 31 item 5b: memory bounded over time). */
describe('KeyIndex (keys per partition)', () => {
  const readKeysOf = (contents: Record<string, string[]>, reads: string[]) => (file: string, into: KeySet) => {
    reads.push(file);
    for (const k of contents[file]!) into.addString(k);
    return Promise.resolve();
  };

  it('forgets the names of files compacted away, keeps their keys, and reads only files it has not counted', async () => {
    const contents: Record<string, string[]> = {};
    const reads: string[] = [];
    const index = new KeyIndex();
    let live: string[] = [];
    // A day of appends with compaction now and then: one file per append, then all live files packed into one.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 10; i++) {
        const f = `part-${round}-${i}.parquet`;
        contents[f] = [`k${round}-${i}`];
        live.push(f);
        await index.ensure('day=1', live, readKeysOf(contents, reads));
      }
      const packed = `compacted-${round}.parquet`;
      contents[packed] = live.flatMap((f) => contents[f] ?? []);
      index.addRewrittenFile('day=1', packed);
      live = [packed];
    }
    const keys = await index.ensure('day=1', live, readKeysOf(contents, reads));
    assert.equal(keys.size, 500);
    assert.ok(keys.hasString('k0-0') && keys.hasString('k49-9'));
    assert.equal(reads.length, 500, 'a file read twice, or a compacted file read');
    assert.equal(index.heldFiles, 1, 'names of files no longer live are still held');
  });
});
