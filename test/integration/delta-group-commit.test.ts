import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GroupCommitter, loadSnapshot, DeltaTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { readWithDeltaRs } from '../support/delta-rs';
import { eventRow, range } from '../support/xact-rows';

describe('Delta group commit', function () {
  this.timeout(120_000);
  let root: string;
  let store: LocalObjectStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-group-'));
    store = new LocalObjectStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('turns 10,000 concurrent single-row calls into a handful of commits, not 10,000', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    const group = new GroupCommitter(table, { maxRows: 2000, minIntervalMs: 0 });
    const results = await Promise.all(range(0, 10_000).map((i) => group.append([eventRow(i)])));
    assert.equal(
      results.reduce((n, r) => n + r.written, 0),
      10_000,
    );
    const commits = table.version; // version 0 is the table's creation
    assert.ok(commits >= 5 && commits <= 10, `${commits} commits`);
    const view = await readWithDeltaRs(path.join(root, 'xact_events'));
    assert.equal(view.rows.length, 10_000);
    assert.ok(view.num_files <= commits * 3, `${view.num_files} files`); // at most one per partition per commit
  });

  it("settles a caller's promise only once its rows are committed, and counts redeliveries as duplicates", async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    const group = new GroupCommitter(table, { maxRows: 1000, minIntervalMs: 0 });
    const first = await group.append([eventRow(1), eventRow(2)]);
    assert.equal(first.written, 2);
    const snapshot = await loadSnapshot(store, 'xact_events');
    assert.equal(snapshot.version, first.version, 'the commit is on storage when the promise resolves');
    const [again, mixed] = await Promise.all([group.append([eventRow(1)]), group.append([eventRow(2), eventRow(3)])]);
    assert.deepEqual([again.written, again.duplicates], [0, 1]);
    assert.deepEqual([mixed.written, mixed.duplicates], [1, 1]);
  });

  /** The table with its appends recorded, each held until `release()` when `hold` is set. */
  async function watchedTable(hold: boolean) {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    const calls: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const append = table.append.bind(table);
    table.append = async (rows) => {
      calls.push(rows.length);
      if (hold) await gate;
      return append(rows);
    };
    return { table, calls, release };
  }

  const nextTurns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  it('an idle writer commits a lone row at once, without waiting for more rows or a timer', async () => {
    const { table, calls } = await watchedTable(false);
    const group = new GroupCommitter(table, { maxRows: 1000, minIntervalMs: 60_000 });
    const pending = group.append([eventRow(1)]);
    await nextTurns(2); // no timer runs in between: only the event loop's own turns
    assert.deepEqual(calls, [1], 'the commit started within two turns of the event loop');
    assert.equal((await pending).written, 1);
  });

  it('rows that arrive while a commit runs all go into the next commit, together', async () => {
    const { table, calls, release } = await watchedTable(true);
    const group = new GroupCommitter(table, { maxRows: 1000, minIntervalMs: 0 });
    const first = group.append([eventRow(1)]);
    await nextTurns(2);
    assert.deepEqual(calls, [1]);
    const later = [group.append([eventRow(2)]), group.append([eventRow(3), eventRow(4)]), group.append([eventRow(5)])];
    await nextTurns(4);
    assert.deepEqual(calls, [1], 'nothing else starts while the first commit runs');
    release();
    const results = await Promise.all([first, ...later]);
    assert.deepEqual(calls, [1, 4], 'one commit for the four rows that waited');
    assert.deepEqual(
      results.map((r) => r.version),
      [1, 2, 2, 2],
    );
  });

  it('flush() commits what waits at once, even inside the minimum interval between commits', async function () {
    this.timeout(20_000); // far below the 60 s interval: without the flush this test times out
    const { table, calls } = await watchedTable(false);
    const group = new GroupCommitter(table, { maxRows: 1000, minIntervalMs: 60_000 });
    await group.append([eventRow(1)]);
    const second = group.append([eventRow(2)]);
    await nextTurns(4);
    assert.deepEqual(calls, [1], 'the second commit waits for the interval');
    await group.flush();
    assert.deepEqual(calls, [1, 1]);
    assert.equal((await second).written, 1);
  });

  it('fails only the caller with a bad row; its neighbours in the same batch commit', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    const group = new GroupCommitter(table, { maxRows: 1000, minIntervalMs: 0 });
    const bad = { ...eventRow(5), ingested_at: 'not a time' };
    const outcomes = await Promise.allSettled([
      group.append([eventRow(4)]),
      group.append([bad]),
      group.append([eventRow(6)]),
    ]);
    assert.equal(outcomes[0].status, 'fulfilled');
    assert.equal(outcomes[2].status, 'fulfilled');
    assert.equal(outcomes[1].status, 'rejected');
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /column "ingested_at" expected timestamp/);
    const view = await readWithDeltaRs(path.join(root, 'xact_events'));
    assert.deepEqual(view.rows.map((r) => r.event_id).sort(), ['evt-4', 'evt-6']);
  });
});
