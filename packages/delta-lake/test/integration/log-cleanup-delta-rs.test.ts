import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitPath, latestCommit, loadSnapshot } from '../../src/log';
import { DeltaTable } from '../../src/table';
import { verifyTable } from '../../src/verify';
import { ALL_TYPES } from '../support/all-types';
import { CountingStore } from '../support/counting-store';
import { FolderStore } from '../support/folder-store';
import { buildLongLog } from '../support/long-log';
import { runPython } from '../support/python';

const READ = `
import sys, json
from deltalake import DeltaTable
dt = DeltaTable(sys.argv[1])
ids = sorted(r["id"] for r in dt.to_pyarrow_table(columns=["id"]).to_pylist())
print(json.dumps({"version": dt.version(), "ids": ids}))
`;

async function readWithDeltaRs(dir: string): Promise<{ version: number; ids: string[] }> {
  return JSON.parse(await runPython(READ, [dir])) as { version: number; ids: string[] };
}

describe('a Delta log after cleanup of the commits before its checkpoint, as delta-rs and we read it', function () {
  this.timeout(120_000);

  it('commits before the last checkpoint deleted: load, latestCommit, verify and delta-rs agree', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'log-cleanup-rs-'));
    const table = await DeltaTable.open(new FolderStore(root), 't', ALL_TYPES, { checkpointInterval: 10 });
    for (let i = 1; i <= 23; i++) await table.append([{ id: `k${String(i).padStart(2, '0')}`, day: '2026-12-04' }]);
    for (let v = 0; v < 20; v++) fs.rmSync(path.join(root, commitPath('t', v)));
    const store = new CountingStore(new FolderStore(root));
    assert.equal((await loadSnapshot(store, 't')).version, 23);
    assert.equal((await latestCommit(store, 't'))?.version, 23);
    assert.deepEqual((await verifyTable(store, 't', 'id')).problems, []);
    assert.equal(store.calls.list, 0);
    const rs = await readWithDeltaRs(path.join(root, 't'));
    assert.equal(rs.version, 23);
    assert.deepEqual(
      rs.ids,
      Array.from({ length: 23 }, (_, i) => `k${String(i + 1).padStart(2, '0')}`),
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the long-log fixture is a table delta-rs reads at the same version', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'long-log-rs-'));
    const rows = [{ id: 'a', day: '2026-12-04' }];
    const log = await buildLongLog(root, 't', ALL_TYPES, rows, 2_000);
    const rs = await readWithDeltaRs(path.join(root, 't'));
    assert.deepEqual(rs, { version: log.version, ids: ['a'] });
    fs.rmSync(root, { recursive: true, force: true });
  });
});
