import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GroupCommitter } from '../src/adapters/delta/group-commit';
import { DeltaTable } from '../src/adapters/delta/table';
import { XACT_EVENTS } from '../src/adapters/delta/xact-tables';
import { LocalObjectStore } from '../src/adapters/storage/local-store';
import { runPython } from '../test/support/delta-rs';
import { eventRow } from '../test/support/xact-rows';
import type { Figure } from './figures';

const DELTA_RS_WRITE = `
import sys, time, json
from deltalake import DeltaTable, write_deltalake
data = DeltaTable(sys.argv[1]).to_pyarrow_table()
t0 = time.perf_counter()
write_deltalake(sys.argv[2], data, partition_by=["event_date"])
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": data.num_rows}))
`;

/** 5. Rows/s of one big append, against delta-rs write_deltalake of the same rows; files for single-row calls. */
export async function deltaBench(rows: number, singleCalls: number): Promise<Figure[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-delta-'));
  try {
    const store = new LocalObjectStore(root);
    const data = Array.from({ length: rows }, (_, i) => eventRow(i, 'bench'));
    const table = await DeltaTable.open(store, 'ours', XACT_EVENTS);
    const t0 = performance.now();
    await table.append(data);
    const ours = rows / ((performance.now() - t0) / 1000);
    const theirs = JSON.parse(
      await runPython(DELTA_RS_WRITE, [path.join(root, 'ours'), path.join(root, 'delta-rs')]),
    ) as {
      seconds: number;
      rows: number;
    };
    if (theirs.rows !== rows) throw new Error(`delta-rs read ${theirs.rows} rows, expected ${rows}`);
    const deltaRs = rows / theirs.seconds;

    const grouped = await DeltaTable.open(store, 'grouped', XACT_EVENTS);
    const committer = new GroupCommitter(grouped, { maxRows: 1000, maxDelayMs: 1000 });
    const t1 = performance.now();
    await Promise.all(Array.from({ length: singleCalls }, (_, i) => committer.append([eventRow(i, 'single')])));
    const singleS = (performance.now() - t1) / 1000;
    return [
      {
        section: 'delta',
        name: `append ${rows} rows (one call)`,
        value: ours,
        unit: 'rows/s',
        baseline: { name: 'delta-rs write_deltalake rows/s', value: deltaRs },
        ratio: ours / deltaRs,
        target: 'ratio >= 0.5',
      },
      {
        section: 'delta',
        name: `${singleCalls} concurrent single-row calls (group commit)`,
        value: grouped.files.size,
        unit: 'files',
        note: `${grouped.version} commits in ${singleS.toFixed(1)} s`,
        target: 'a handful, not one per call',
      },
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
