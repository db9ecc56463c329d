import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { compactTable, DeltaTable, verifyTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { readWithDeltaRs } from '../support/delta-rs';
import { ROOT } from '../support/stack';
import { eventRow, range } from '../support/xact-rows';

const run = promisify(execFile);
const sortById = (rows: Record<string, unknown>[]) =>
  [...rows].sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
const OPTS = { targetFileBytes: 64 * 1024 * 1024, minFiles: 2 };

describe('delta compact', () => {
  let root: string;
  let store: LocalObjectStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-compact-'));
    store = new LocalObjectStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('packs each partition into one file; delta-rs reads the same rows, history shows OPTIMIZE', async () => {
    const table = await DeltaTable.open(store, 't', XACT_EVENTS);
    for (const i of range(0, 30)) await table.append([eventRow(2 * i), eventRow(2 * i + 1)]); // 3 partitions
    const before = await readWithDeltaRs(path.join(root, 't'));
    const beforeFiles = table.files.size;

    const report = await compactTable(store, table, OPTS);
    assert.equal(report.partitions.length, 3);
    assert.equal(
      report.partitions.reduce((n, p) => n + p.filesBefore, 0),
      beforeFiles,
    );
    assert.ok(report.partitions.every((p) => p.filesAfter === 1 && p.version !== null));
    assert.equal(
      report.partitions.reduce((n, p) => n + p.rows, 0),
      60,
    );

    const after = await readWithDeltaRs(path.join(root, 't'));
    assert.equal(after.num_files, 3);
    assert.deepEqual(sortById(after.rows), sortById(before.rows), 'same rows, same values, after compaction');
    assert.deepEqual(
      after.history.slice(0, 3).map((h) => h.operation),
      ['OPTIMIZE', 'OPTIMIZE', 'OPTIMIZE'],
    );
    assert.equal(after.version, 33, 'create + 30 appends + one OPTIMIZE commit per partition');
    assert.deepEqual((await verifyTable(store, 't', 'event_id')).problems, []);

    // Nothing left to do: a second run changes nothing.
    const again = await compactTable(store, table, OPTS);
    assert.deepEqual(again.partitions, []);
    assert.equal(again.versionAfter, report.versionAfter);
  });

  it('a writer opened before the compaction still refuses keys it already committed, and adds new ones', async () => {
    const writer = await DeltaTable.open(store, 't', XACT_EVENTS);
    for (const i of range(0, 12)) await writer.append([eventRow(i)]);
    const maintenance = await DeltaTable.open(store, 't', XACT_EVENTS);
    await compactTable(store, maintenance, OPTS);

    const replay = await writer.append(range(0, 14).map((i) => eventRow(i)));
    assert.deepEqual([...replay.writtenKeys].sort(), ['evt-12', 'evt-13']);
    assert.equal(replay.duplicateKeys.length, 12);
    const fresh = await DeltaTable.open(store, 't', XACT_EVENTS); // loads keys from the compacted files
    assert.equal((await fresh.append([eventRow(3), eventRow(99)])).writtenKeys.join(), 'evt-99');
    const view = await readWithDeltaRs(path.join(root, 't'));
    assert.equal(view.rows.length, 15);
    assert.equal(new Set(view.rows.map((r) => r.event_id)).size, 15);
  });

  it('runs next to a live writer without losing rows; a racing second compaction skips, leaving no orphan files', async () => {
    const writer = await DeltaTable.open(store, 't', XACT_EVENTS);
    for (const i of range(0, 20)) await writer.append([eventRow(i)]);
    const a = await DeltaTable.open(store, 't', XACT_EVENTS);
    const b = await DeltaTable.open(store, 't', XACT_EVENTS);
    const appends = (async () => {
      for (const i of range(20, 60)) await writer.append([eventRow(i)]);
    })();
    const [ra, rb] = await Promise.all([compactTable(store, a, OPTS), compactTable(store, b, OPTS), appends]);
    const skipped = [...ra.partitions, ...rb.partitions].filter((p) => p.skipped);
    const done = [...ra.partitions, ...rb.partitions].filter((p) => p.version !== null);
    assert.ok(done.length >= 3, `committed compactions: ${done.length}`);
    assert.ok(skipped.every((p) => p.version === null));

    const view = await readWithDeltaRs(path.join(root, 't'));
    assert.equal(view.rows.length, 60);
    assert.equal(new Set(view.rows.map((r) => r.event_id)).size, 60);
    assert.deepEqual((await verifyTable(store, 't', 'event_id')).problems, []);
    // Every Parquet file on disk is referenced by the log: skipped compactions removed what they wrote.
    const live = new Set([...(await DeltaTable.open(store, 't', XACT_EVENTS)).files.keys()].map(decodeURIComponent));
    assert.equal(live.size, view.num_files);
    const onDisk = fs
      .readdirSync(path.join(root, 't'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.parquet') && !f.includes('_delta_log'));
    const removedByCompaction = done.reduce((n, p) => n + p.filesBefore, 0);
    assert.equal(onDisk.length, live.size + removedByCompaction, 'no orphan files from the skipped compaction');

    // A rewrite of a file that is no longer live commits nothing.
    const gone = [...(await DeltaTable.open(store, 't', XACT_EVENTS)).files.values()][0];
    const version = (await DeltaTable.open(store, 't', XACT_EVENTS)).version;
    await a.rewrite([gone!], [], {}); // removes it
    assert.equal(await b.rewrite([gone!], [], {}), null);
    assert.equal((await DeltaTable.open(store, 't', XACT_EVENTS)).version, version + 1);
  });

  it('CLI: --dry-run changes nothing; the real run prints the rewrite; unknown tables exit 2', async () => {
    const table = await DeltaTable.open(store, 'Tables/xact_events', XACT_EVENTS);
    for (const i of range(0, 6)) await table.append([eventRow(i)]);
    const cli = (...args: string[]) =>
      run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'delta', 'compact', ...args], {
        env: { ...process.env, LAKEHOUSE_DIR: root, STORAGE_BACKEND: 'local' },
      });
    const dry = await cli('xact_events', '--dry-run');
    assert.match(dry.stdout, /event_date=2025-12-25: would rewrite 2 files \(2 rows\) into 1/);
    assert.equal((await DeltaTable.open(store, 'Tables/xact_events', XACT_EVENTS)).version, 6);
    const real = await cli('xact_events', '--json');
    const report = JSON.parse(real.stdout) as { versionAfter: number; partitions: unknown[] };
    assert.deepEqual([report.versionAfter, report.partitions.length], [9, 3]);
    await assert.rejects(cli('xact_nope'), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /unknown table "xact_nope"/);
      return true;
    });
  });
});
