/**
 * `npm run bench` of the package: appends the same rows to a Delta table on a local folder in commits of 1, 100
 * and 1,000 rows, and, as the baseline of the same run on the same machine, writes the same rows as one JSON-lines
 * file per commit through the same store (an atomic write, nothing else). Prints rows/s and the ratio to the
 * baseline; the ratio, not the absolute rate, is what to compare across machines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { columnDef as col, DeltaTable, stopParquetThread, type Row, type TableDef } from '../src/index';
import { FolderStore } from '../test/support/folder-store';

const ROWS = Number(process.env.DELTA_BENCH_ROWS ?? 5_000);
const TABLE: TableDef = {
  name: 'bench',
  columns: [
    col('id', 'string', false),
    col('day', 'date', false),
    col('kind', 'string'),
    col('size', 'long'),
    col('at', 'timestamp'),
    col('payload', 'string'),
  ],
  partitionColumns: ['day'],
  keyColumn: 'id',
};

function rows(prefix: string): Row[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    id: `${prefix}-${i}`,
    day: `2026-12-0${1 + (i % 3)}`,
    kind: ['document', 'photo', 'estimate'][i % 3],
    size: 1_000 + i,
    at: new Date(Date.UTC(2026, 11, 1, 0, 0, i % 86_400)),
    payload: JSON.stringify({ claim: `C-${i % 97}`, note: 'x'.repeat(100 + (i % 50)) }),
  }));
}

async function timed(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-bench-'));
  const store = new FolderStore(root);
  try {
    console.log(`${ROWS} rows per case; baseline: the same rows as JSON lines, one file per commit`);
    for (const perCommit of [1, 100, 1_000]) {
      const count = perCommit === 1 ? Math.min(ROWS, 500) : ROWS;
      const data = rows(`c${perCommit}`).slice(0, count);
      const table = await DeltaTable.open(store, `Tables/bench_${perCommit}`, TABLE);
      const delta = await timed(async () => {
        for (let i = 0; i < data.length; i += perCommit) await table.append(data.slice(i, i + perCommit));
      });
      const baseline = await timed(async () => {
        for (let i = 0; i < data.length; i += perCommit) {
          const lines = data.slice(i, i + perCommit).map((r) => JSON.stringify(r));
          await store.put(`Files/baseline_${perCommit}/${i}.jsonl`, Buffer.from(lines.join('\n')));
        }
      });
      const rate = (s: number) => Math.round(count / s);
      console.log(
        `${String(perCommit).padStart(5)} rows/commit: delta ${rate(delta)} rows/s, baseline ${rate(baseline)} rows/s, ` +
          `ratio ${(baseline / delta).toFixed(2)}; ${table.version} commits`,
      );
    }
  } finally {
    await stopParquetThread();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
