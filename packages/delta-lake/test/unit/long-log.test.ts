import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitPath, lastCheckpointPath, latestCommit, loadSnapshot } from '../../src/log';
import { DeltaTable } from '../../src/table';
import { DEFAULT_CHECKPOINT_INTERVAL as EVERY } from '../../src/table-types';
import { verifyTable } from '../../src/verify';
import { ALL_TYPES } from '../support/all-types';
import { CountingStore } from '../support/counting-store';
import { FolderStore } from '../support/folder-store';
import { buildLongLog, type LongLog } from '../support/long-log';

const COMMITS = 20_000;
const ROWS = [
  { id: 'a', day: '2026-12-01' },
  { id: 'b', day: '2026-12-02' },
];

describe('a long Delta log (20,000 commits): loads from _last_checkpoint without listing the log', function () {
  this.timeout(120_000);
  let root: string;
  let store: CountingStore;
  let log: LongLog;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'long-log-'));
    log = await buildLongLog(root, 'Tables/t', ALL_TYPES, ROWS, COMMITS);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    store = new CountingStore(new FolderStore(root));
  });

  it('the fixture is what a writer with its default checkpoint interval leaves', () => {
    assert.deepEqual([log.version, log.checkpoint, log.liveFiles], [COMMITS, COMMITS, 2]);
  });

  it('snapshot load, latestCommit and verify read the checkpoint and probe forward: no listing', async () => {
    const snapshot = await loadSnapshot(store, 'Tables/t');
    assert.deepEqual([snapshot.version, snapshot.files.size, store.calls.list], [COMMITS, 2, 0]);
    const latest = await latestCommit(store, 'Tables/t');
    assert.equal(latest?.version, COMMITS);
    assert.ok(latest.timestamp !== null);
    const report = await verifyTable(store, 'Tables/t', 'id');
    assert.deepEqual([report.version, report.rows, report.problems], [COMMITS, 2, []]);
    assert.equal(store.calls.list, 0);
  });

  it('a worker opens the table and appends: versions follow on, the next checkpoint lands, no listing', async () => {
    const table = await DeltaTable.open(store, 'Tables/t', ALL_TYPES);
    assert.equal(table.version, COMMITS);
    for (let i = 1; i <= EVERY; i++) {
      const { version } = await table.append([{ id: `n${i}`, day: '2026-12-03' }]);
      assert.equal(version, COMMITS + i);
    }
    const hint = JSON.parse(fs.readFileSync(path.join(root, lastCheckpointPath('Tables/t')), 'utf8')) as {
      version: number;
    };
    assert.equal(hint.version, COMMITS + EVERY);
    assert.equal((await latestCommit(store, 'Tables/t'))?.version, COMMITS + EVERY);
    assert.equal((await loadSnapshot(store, 'Tables/t')).files.size, 2 + EVERY);
    assert.equal(store.calls.list, 0);
  });

  it('many commits after the checkpoint: latestCommit finds the newest in a few reads', async () => {
    const hinted = JSON.parse(fs.readFileSync(path.join(root, lastCheckpointPath('Tables/t')), 'utf8')) as {
      version: number;
    };
    const latest = (await latestCommit(store, 'Tables/t'))!.version;
    // Point the hint 1,000 versions back (a writer that checkpoints rarely): same answer, ~2·log2(1000) reads.
    const older = latest - 1_000 - (latest % 10);
    fs.writeFileSync(
      path.join(root, lastCheckpointPath('Tables/t')),
      JSON.stringify({ ...hinted, version: older }).replace(/"sizeInBytes":\d+,?/, ''),
    );
    fs.copyFileSync(
      path.join(root, 'Tables/t/_delta_log', `${String(hinted.version).padStart(20, '0')}.checkpoint.parquet`),
      path.join(root, 'Tables/t/_delta_log', `${String(older).padStart(20, '0')}.checkpoint.parquet`),
    );
    store.reset();
    assert.equal((await latestCommit(store, 'Tables/t'))?.version, latest);
    assert.ok(store.calls.get <= 2 + 2 * Math.ceil(Math.log2(1_000 + 1)), `${store.calls.get} reads`);
    assert.equal(store.calls.list, 0);
    fs.writeFileSync(path.join(root, lastCheckpointPath('Tables/t')), JSON.stringify(hinted));
    assert.ok(fs.existsSync(path.join(root, commitPath('Tables/t', latest))));
  });
});
