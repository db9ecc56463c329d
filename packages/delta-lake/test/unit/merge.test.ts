import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latestCommit } from '../../src/log';
import { mergeRows, type MergeOptions } from '../../src/merge';
import { readTable } from '../../src/read';
import type { Row } from '../../src/schema';
import { DeltaTable } from '../../src/table';
import { ENTITY } from '../support/entity-table';
import { FolderStore } from '../support/folder-store';

const OPTS: MergeOptions = {
  orderColumn: 'seen_at',
  keepColumns: ['created_at'],
  untrackedColumns: ['updated_at'],
  versionsColumn: 'versions',
};
const at = (minute: number) => `2026-12-04T08:${String(minute).padStart(2, '0')}:00.000Z`;
const row = (id: number, minute: number, fields: Record<string, Row[string]>): Row => ({
  id,
  seen_at: at(minute),
  created_at: at(minute),
  updated_at: new Date(),
  ...fields,
});

describe('mergeRows (upsert by key, later order wins column by column)', () => {
  let store: FolderStore;
  let table: DeltaTable;
  const rows = async () =>
    new Map(
      (await readTable(store, 'Tables/entity', ENTITY)).map((r) => [
        Number(r.id),
        { name: r.name, flag: r.flag, seen: Number(r.seen_at) / 1000, created: Number(r.created_at) / 1000 },
      ]),
    );
  beforeEach(async () => {
    store = new FolderStore(fs.mkdtempSync(path.join(os.tmpdir(), 'merge-')));
    table = await DeltaTable.open(store, 'Tables/entity', ENTITY);
  });

  it('inserts new keys, updates known ones in the same commit, and keeps one row per key', async () => {
    const first = await mergeRows(store, table, [row(1, 1, { name: 'a' }), row(2, 1, { name: 'b' })], OPTS);
    assert.deepEqual([first.inserted, first.updated], [['1', '2'], []]);
    const second = await mergeRows(store, table, [row(2, 5, { name: 'B' }), row(3, 5, { name: 'c' })], OPTS);
    assert.deepEqual([second.inserted, second.updated, second.version], [['3'], ['2'], first.version! + 1]);
    const r = await rows();
    assert.deepEqual([...r.keys()].sort(), [1, 2, 3]);
    assert.equal(r.get(2)!.name, 'B');
    assert.equal(r.get(2)!.created, Date.parse(at(1)), 'created_at kept from the first row');
    assert.equal(table.files.size, 1, 'the file holding key 2 was replaced (with key 1 in it again), not added to');
  });

  it('the same row again changes nothing and commits nothing, bookkeeping columns aside', async () => {
    await mergeRows(store, table, [row(1, 1, { name: 'a', flag: true })], OPTS);
    const before = await latestCommit(store, 'Tables/entity');
    const again = await mergeRows(store, table, [row(1, 1, { name: 'a', flag: true })], OPTS);
    assert.deepEqual([again.version, again.unchanged], [null, ['1']]);
    assert.equal((await latestCommit(store, 'Tables/entity'))?.version, before?.version);
  });

  it('a later row sets the columns it carries and keeps the others; an earlier one sets none a later row set', async () => {
    await mergeRows(store, table, [row(1, 5, { name: 'full' })], OPTS);
    await mergeRows(store, table, [{ id: 1, seen_at: at(9), created_at: at(9), updated_at: at(9), flag: true }], OPTS);
    let r = (await rows()).get(1)!;
    assert.deepEqual([r.name, r.flag, r.seen], ['full', true, Date.parse(at(9))]);
    await mergeRows(store, table, [row(1, 2, { name: 'stale', flag: false })], OPTS);
    r = (await rows()).get(1)!;
    assert.deepEqual([r.name, r.flag, r.seen], ['full', true, Date.parse(at(9))], 'an earlier row changes nothing set');
  });

  it('arrival order does not change the result: each column holds the latest value carried for it', async () => {
    const events = [
      row(7, 3, { name: 'three' }),
      { id: 7, seen_at: at(1), created_at: at(1), updated_at: at(1), flag: false },
      row(7, 2, { name: 'two', flag: true }),
    ];
    const results: unknown[] = [];
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
    ]) {
      store = new FolderStore(fs.mkdtempSync(path.join(os.tmpdir(), 'merge-order-')));
      table = await DeltaTable.open(store, 'Tables/entity', ENTITY);
      for (const i of order) await mergeRows(store, table, [events[i]!], OPTS);
      const r = (await rows()).get(7)!;
      results.push([r.name, r.flag, r.seen]);
    }
    // name from the latest row (3), flag from the latest row that carried one (2): in every arrival order.
    assert.deepEqual(results, [
      ['three', true, Date.parse(at(3))],
      ['three', true, Date.parse(at(3))],
      ['three', true, Date.parse(at(3))],
    ]);
  });

  it('two writers merging the same keys at once: one row per key, the later order wins', async () => {
    await mergeRows(store, table, [row(1, 1, { name: 'base' })], OPTS);
    const other = await DeltaTable.open(store, 'Tables/entity', ENTITY);
    await Promise.all([
      mergeRows(store, table, [row(1, 4, { name: 'four' }), row(2, 4, { name: 'x' })], OPTS),
      mergeRows(store, other, [row(1, 6, { name: 'six' }), row(3, 6, { name: 'y' })], OPTS),
    ]);
    const r = await rows();
    assert.deepEqual([...r.keys()].sort(), [1, 2, 3]);
    assert.equal(r.get(1)!.name, 'six');
    assert.equal((await readTable(store, 'Tables/entity', ENTITY)).length, 3);
  });

  it('refuses a row without a key or of the wrong type before writing anything', async () => {
    await assert.rejects(mergeRows(store, table, [{ name: 'no key', seen_at: at(1) }], OPTS), /has no id|id/);
    await assert.rejects(mergeRows(store, table, [row(1, 1, { flag: 'yes' })], OPTS), /flag/);
    assert.equal(table.files.size, 0);
  });
});
