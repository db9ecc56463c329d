import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeRows } from '../../src/merge';
import { DeltaTable } from '../../src/table';
import { FolderStore } from '../support/folder-store';
import { runPython } from '../support/python';
import { ENTITY } from '../support/entity-table';

const READ = `
import sys, json
from deltalake import DeltaTable
dt = DeltaTable(sys.argv[1])
rows = dt.to_pyarrow_table(columns=["id", "name", "flag"]).to_pylist()
ops = [h.get("operation") for h in dt.history()]
print(json.dumps({"version": dt.version(), "rows": sorted(rows, key=lambda r: r["id"]), "ops": ops}))
`;

describe('merged tables as delta-rs reads them', function () {
  this.timeout(60_000);

  it('one row per key with the merged values at the latest version, and MERGE in the history', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'merge-rs-'));
    const store = new FolderStore(dir);
    const table = await DeltaTable.open(store, 'Tables/entity', ENTITY);
    const opts = { orderColumn: 'seen_at', keepColumns: ['created_at'], versionsColumn: 'versions' };
    const t = (m: number) => `2026-12-04T09:0${m}:00Z`;
    const base = (id: number, m: number) => ({ id, seen_at: t(m), created_at: t(m), updated_at: t(m) });
    await mergeRows(
      store,
      table,
      [
        { ...base(1, 1), name: 'one' },
        { ...base(2, 1), name: 'two' },
      ],
      opts,
    );
    await mergeRows(
      store,
      table,
      [
        { ...base(2, 3), flag: true },
        { ...base(3, 3), name: 'three' },
      ],
      opts,
    );
    // Late arrival of an event between the two: its name is the latest carried (2 > 1), its flag is not (2 < 3).
    await mergeRows(store, table, [{ ...base(2, 2), name: 'late', flag: false }], opts);
    const out = JSON.parse(await runPython(READ, [path.join(dir, 'Tables', 'entity')])) as {
      version: number;
      rows: { id: number; name: string | null; flag: boolean | null }[];
      ops: string[];
    };
    assert.deepEqual(out.rows, [
      { id: 1, name: 'one', flag: null },
      { id: 2, name: 'late', flag: true },
      { id: 3, name: 'three', flag: null },
    ]);
    assert.equal(out.version, table.version);
    assert.deepEqual(out.ops.filter((o) => o === 'MERGE').length, 3);
  });
});
