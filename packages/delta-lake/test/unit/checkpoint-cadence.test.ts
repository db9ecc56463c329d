import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkpointPath, commitPath, serialiseCommit, type Action } from '../../src/log';
import { DeltaTable } from '../../src/table';
import { CHECKPOINT_ENTRIES_AT_INTERVAL as AT, checkpointEvery } from '../../src/table-types';
import { ALL_TYPES } from '../support/all-types';
import { FolderStore } from '../support/folder-store';

/** Issue 31: a checkpoint rewrites every live file and tombstone, so a big snapshot is checkpointed less often. */
describe("the writer's checkpoint cadence follows the snapshot's size", () => {
  it('the interval up to the threshold, doubled for each doubling past it, always a multiple of the interval', () => {
    assert.deepEqual(
      [0, AT, AT + 1, 2 * AT, 2 * AT + 1, 7 * AT].map((n) => checkpointEvery(50, n)),
      [50, 50, 100, 100, 200, 400],
    );
  });

  it('a table holding more tombstones than the threshold checkpoints every second interval', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-'));
    try {
      const store = new FolderStore(root);
      const table = await DeltaTable.open(store, 't', ALL_TYPES, { checkpointInterval: 2 });
      await table.append([{ id: 'a', day: '2026-12-01' }]); // version 1
      // Version 2: a commit that removes more files than the threshold (compaction's tombstones, hours of them).
      const removes: Action[] = Array.from({ length: AT + 1 }, (_, i) => ({
        remove: { path: `day=2026-11-01/gone-${i}.parquet`, deletionTimestamp: Date.now(), dataChange: false },
      }));
      await store.put(commitPath('t', 2), serialiseCommit(removes));
      for (const id of ['b', 'c', 'd', 'e', 'f', 'g']) await table.append([{ id, day: '2026-12-01' }]); // 3..8
      const checkpoints = [3, 4, 5, 6, 7, 8].filter((v) => fs.existsSync(path.join(root, checkpointPath('t', v))));
      assert.deepEqual(checkpoints, [4, 8], 'every 4 commits, not every 2');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
