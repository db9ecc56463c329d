import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitPath, lastCheckpointPath, latestCommit, loadSnapshot } from '../../src/log';
import { DeltaTable } from '../../src/table';
import { verifyTable } from '../../src/verify';
import { ALL_TYPES } from '../support/all-types';
import { ConcurrencyStore, CountingStore } from '../support/counting-store';
import { FolderStore } from '../support/folder-store';

/** 25 appends with a checkpoint every 10: _last_checkpoint names version 20, commits 21-25 follow it. */
async function table25(root: string): Promise<void> {
  const table = await DeltaTable.open(new FolderStore(root), 't', ALL_TYPES, { checkpointInterval: 10 });
  for (let i = 1; i <= 25; i++) await table.append([{ id: `k${i}`, day: '2026-12-04' }]);
}

describe('Delta log loading when _last_checkpoint is missing, damaged, or old commits are gone', () => {
  let root: string;
  let store: CountingStore;
  const file = (p: string) => path.join(root, p);
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'log-fallback-'));
    await table25(root);
    store = new CountingStore(new FolderStore(root));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function expectWhole(listed: boolean, hintProblem: boolean): Promise<void> {
    const snapshot = await loadSnapshot(store, 't');
    assert.deepEqual([snapshot.version, snapshot.files.size], [25, 25]);
    assert.equal((await latestCommit(store, 't'))?.version, 25);
    const report = await verifyTable(store, 't', 'id');
    assert.deepEqual([report.version, report.rows], [25, 25]);
    assert.equal(report.problems.length, hintProblem ? 1 : 0, report.problems.join('\n'));
    if (hintProblem) assert.match(report.problems[0]!, /_last_checkpoint/);
    assert.equal(store.calls.list > 0, listed);
  }

  it('a sound _last_checkpoint: nothing is listed', async () => {
    await expectWhole(false, false);
  });

  it('no _last_checkpoint: the log is listed and the newest checkpoint used', async () => {
    fs.rmSync(file(lastCheckpointPath('t')));
    await expectWhole(true, false);
  });

  for (const [what, text] of [
    ['torn JSON', '{"version": 2'],
    ['no size (required by the protocol)', '{"version":20}'],
    ['a version that is not a count', '{"version":"20","size":4}'],
    ['a version past the end of the log', '{"version":90,"size":4}'],
    ['a checkpoint of another size', '{"version":20,"size":4,"sizeInBytes":3}'],
    ['parts of a multi-part checkpoint that do not exist', '{"version":20,"size":4,"parts":2}'],
  ] as const) {
    it(`_last_checkpoint with ${what}: the listing decides, verify names the hint`, async () => {
      fs.writeFileSync(file(lastCheckpointPath('t')), text);
      await expectWhole(true, true);
    });
  }

  it('commits older than the checkpoint deleted (log cleanup): every load path still works, no listing', async () => {
    for (let v = 0; v < 20; v++) fs.rmSync(file(commitPath('t', v)));
    await expectWhole(false, false);
    const table = await DeltaTable.open(store, 't', ALL_TYPES);
    assert.equal((await table.append([{ id: 'k26', day: '2026-12-04' }])).version, 26);
    assert.equal((await table.append([{ id: 'k1', day: '2026-12-04' }])).version, null); // keys of the checkpoint
  });

  it('cleaned-up log and no _last_checkpoint: the listing finds the checkpoint', async () => {
    for (let v = 0; v < 20; v++) fs.rmSync(file(commitPath('t', v)));
    fs.rmSync(file(lastCheckpointPath('t')));
    await expectWhole(true, false);
  });

  it('the checkpoint version is the latest and its own commit is gone: latestCommit still answers', async () => {
    for (let v = 21; v <= 25; v++) fs.rmSync(file(commitPath('t', v)));
    for (let v = 0; v <= 20; v++) fs.rmSync(file(commitPath('t', v)));
    assert.deepEqual(await latestCommit(store, 't'), { version: 20, timestamp: null });
    assert.equal((await loadSnapshot(store, 't')).version, 20);
  });

  it('a commit lost after the checkpoint: verify reports the gap', async () => {
    fs.rmSync(file(commitPath('t', 23)));
    const report = await verifyTable(store, 't', 'id');
    assert.equal(report.version, 22);
    assert.deepEqual(report.problems, ['log gap: no commit 23, but commit 24 exists']);
  });

  it('a long tail of commits after the checkpoint is read several at a time, one read when nothing is new', async () => {
    const reader = new ConcurrencyStore(new FolderStore(root));
    const table = await DeltaTable.open(new FolderStore(root), 't', ALL_TYPES, { checkpointInterval: 0 });
    for (let i = 26; i <= 75; i++) await table.append([{ id: `k${i}`, day: '2026-12-04' }]);
    const snapshot = await loadSnapshot(reader, 't');
    assert.deepEqual([snapshot.version, snapshot.files.size], [75, 75]);
    assert.ok(reader.maxInFlight >= 8, `at most ${reader.maxInFlight} reads at once`);
    const again = new ConcurrencyStore(new FolderStore(root));
    const opened = await DeltaTable.open(again, 't', ALL_TYPES);
    again.reset();
    await opened.refresh();
    assert.equal(again.calls.get, 1);
  });
});
