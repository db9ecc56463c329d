import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compactTable } from '../../src/compact';
import { readTable } from '../../src/read';
import { DeltaTable } from '../../src/table';
import { ALL_TYPES } from '../support/all-types';
import { FolderStore } from '../support/folder-store';

describe('readTable (every row of the latest version)', () => {
  let store: FolderStore;
  beforeEach(() => {
    store = new FolderStore(fs.mkdtempSync(path.join(os.tmpdir(), 'read-table-')));
  });

  it('a table that does not exist yet has no rows', async () => {
    assert.deepEqual(await readTable(store, 'Tables/none', ALL_TYPES), []);
  });

  it('gives back what was appended, partition column and cell types included, each key once', async () => {
    const table = await DeltaTable.open(store, 'Tables/t', ALL_TYPES);
    await table.append([
      { id: 'a', s: 'x', n: 5n, i: 7, d: 1.5, b: true, ts: new Date('2026-12-04T01:02:03.004Z'), day: '2026-12-04' },
      { id: 'b', s: null, day: '2026-12-03' },
    ]);
    await table.append([
      { id: 'a', s: 'again', day: '2026-12-04' },
      { id: 'c', day: '2026-12-04' },
    ]);
    const report = await compactTable(store, table); // files replaced: no row twice, none lost
    assert.ok(report.versionAfter > report.versionBefore, 'compaction rewrote files');
    const rows = new Map((await readTable(store, 'Tables/t', ALL_TYPES)).map((r) => [r.id, r]));
    assert.deepEqual([...rows.keys()].sort(), ['a', 'b', 'c']);
    const a = rows.get('a')!;
    assert.equal(a.s, 'x');
    assert.equal(a.n, 5n);
    assert.equal(a.i, 7);
    assert.equal(a.d, 1.5);
    assert.equal(a.b, true);
    assert.equal(a.ts, BigInt(Date.parse('2026-12-04T01:02:03.004Z')) * 1000n);
    assert.deepEqual(a.day, new Date('2026-12-04T00:00:00Z'));
    assert.deepEqual(rows.get('b')!.day, new Date('2026-12-03T00:00:00Z'));
    assert.equal(rows.get('b')!.s, null);
  });
});
