/**
 * `npm run bench:checkpoint` of the package: what the checkpoint interval costs and buys, on a local folder. For
 * tables of 100, 1,000 and 10,000 live files (a synthetic checkpoint of that many adds):
 * - the time to write a checkpoint (encode, store it, `_last_checkpoint`), paid once per interval by a writer;
 * - the time to load the snapshot with 0 to 99 commits after the checkpoint (a reader's worst case is interval − 1);
 * - the mean and p95 of 200 one-row appends with checkpoints every 10, 20, 50 and 100 commits (every interval-th
 *   append writes the checkpoint inside its commit).
 * Figures and the choice made from them: docs/reliability.md ("Over time").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeTableCheckpoint } from '../src/checkpoint';
import { commitPath, createTableActions, loadSnapshot, serialiseCommit, Snapshot, type Action } from '../src/log';
import { stopParquetThread } from '../src/parquet-thread';
import { columnDef as col, type TableDef } from '../src/schema';
import { DeltaTable } from '../src/table';
import { FolderStore } from '../test/support/folder-store';

const DEF: TableDef = {
  name: 'cadence',
  columns: [col('id', 'string', false), col('day', 'date', false), col('payload', 'string')],
  partitionColumns: ['day'],
  keyColumn: 'id',
};
const FILES = [100, 1_000, 10_000];
const TAILS = [0, 9, 19, 49, 99];
const INTERVALS = [10, 20, 50, 100];
const APPENDS = 200;
const REPEAT = 7;

const day = (i: number) => `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`;
const addAction = (i: number): Action => ({
  add: {
    path: `day=${day(i)}/part-${String(i).padStart(8, '0')}.snappy.parquet`,
    partitionValues: { day: day(i) },
    size: 4_000 + i,
    modificationTime: 1_765_000_000_000 + i,
    dataChange: true,
    stats: JSON.stringify({ numRecords: 10, minValues: { id: `k${i}0` }, maxValues: { id: `k${i}9` } }),
  },
});
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * xs.length)] ?? NaN;
const ms = (x: number) => x.toFixed(1);

/** A table at version 1 whose checkpoint holds `files` live files (their data files do not exist: never read). */
async function syntheticTable(store: FolderStore, table: string, files: number): Promise<number> {
  const snapshot = new Snapshot();
  snapshot.apply(0, createTableActions(DEF, `id-${table}`));
  const adds: Action[] = [];
  for (let i = 0; i < files; i++) adds.push(addAction(i));
  snapshot.apply(1, adds);
  const t0 = performance.now();
  await writeTableCheckpoint(store, table, snapshot);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoint-cadence-'));
  const store = new FolderStore(root);
  const writes: string[] = [];
  const loads: string[] = [];
  const appends: string[] = [];
  for (const files of FILES) {
    const times: number[] = [];
    for (let r = 0; r < REPEAT; r++) times.push(await syntheticTable(store, `w${files}-${r}`, files));
    const bytes = fs.statSync(
      path.join(root, `w${files}-0`, '_delta_log', `${'1'.padStart(20, '0')}.checkpoint.parquet`),
    ).size;
    writes.push(`| ${files.toLocaleString('en')} | ${ms(quantile(times, 0.5))} | ${bytes.toLocaleString('en')} |`);

    const table = `l${files}`;
    await syntheticTable(store, table, files);
    const row: string[] = [];
    let tail = 0;
    for (const want of TAILS) {
      for (; tail < want; tail++) {
        const commit: Action[] = [
          { commitInfo: { timestamp: Date.now(), operation: 'WRITE' } },
          addAction(files + tail),
        ];
        await store.putIfAbsent(commitPath(table, 2 + tail), serialiseCommit(commit));
      }
      const t: number[] = [];
      for (let r = 0; r < REPEAT; r++) {
        const t0 = performance.now();
        if ((await loadSnapshot(store, table)).version !== 1 + want) throw new Error('wrong version');
        t.push(performance.now() - t0);
      }
      row.push(ms(quantile(t, 0.5)));
    }
    loads.push(`| ${files.toLocaleString('en')} | ${row.join(' | ')} |`);

    const cells: string[] = [];
    for (const interval of INTERVALS) {
      const name = `a${files}-${interval}`;
      await syntheticTable(store, name, files);
      const writer = await DeltaTable.open(store, name, DEF, { checkpointInterval: interval });
      const t: number[] = [];
      for (let i = 0; i < APPENDS; i++) {
        const t0 = performance.now();
        await writer.append([{ id: `new-${i}`, day: '2027-01-01', payload: 'x' }]); // a partition of its own
        t.push(performance.now() - t0);
      }
      cells.push(`${ms(t.reduce((a, b) => a + b, 0) / t.length)} / ${ms(quantile(t, 0.95))}`);
    }
    appends.push(`| ${files.toLocaleString('en')} | ${cells.join(' | ')} |`);
  }
  console.log('| live files | checkpoint write ms (median) | checkpoint bytes |\n|---|---|---|\n' + writes.join('\n'));
  console.log(`\n| live files | ${TAILS.map((n) => `load, ${n} commits after the checkpoint`).join(' | ')} |`);
  console.log(`|---|${TAILS.map(() => '---|').join('')}\n${loads.join('\n')}`);
  console.log(`\n| live files | ${INTERVALS.map((i) => `append mean / p95 ms, checkpoint every ${i}`).join(' | ')} |`);
  console.log(`|---|${INTERVALS.map(() => '---|').join('')}\n${appends.join('\n')}`);
  await stopParquetThread();
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
