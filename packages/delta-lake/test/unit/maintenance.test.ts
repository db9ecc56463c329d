import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compactTable, DEFAULT_COMPACT } from '../../src/compact';
import { cleanupLog } from '../../src/log-cleanup';
import { LOG_DIR, loadSnapshot, Snapshot } from '../../src/log';
import { readTable } from '../../src/read';
import { expireTombstones, parseInterval, retentionOf, TABLE_PROPERTIES } from '../../src/retention';
import { DeltaTable } from '../../src/table';
import { DEFAULT_TABLE_PROPERTIES, ensureTableProperties } from '../../src/table-properties';
import { vacuumTable } from '../../src/vacuum';
import { ALL_TYPES } from '../support/all-types';
import { FolderStore } from '../support/folder-store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const row = (i: number) => ({ id: `k${i}`, n: BigInt(i), day: i % 2 === 0 ? '2026-12-04' : '2026-12-05' });
const ids = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.id)).sort();

describe('table maintenance (log cleanup, vacuum, retention properties)', () => {
  let root: string;
  let store: FolderStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-maint-'));
    store = new FolderStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const logNames = () => fs.readdirSync(path.join(root, 't', LOG_DIR)).sort();
  const commitTime = (v: number) =>
    (
      JSON.parse(
        fs
          .readFileSync(path.join(root, 't', LOG_DIR, `${String(v).padStart(20, '0')}.json`), 'utf8')
          .split('\n')
          .find((l) => l.includes('commitInfo'))!,
      ) as { commitInfo: { timestamp: number } }
    ).commitInfo.timestamp;

  it('parses Delta intervals, singular or plural, and refuses anything else', () => {
    assert.equal(parseInterval('interval 30 days'), 30 * DAY);
    assert.equal(parseInterval('interval 1 week'), 7 * DAY);
    assert.equal(parseInterval('interval 2 hours'), 2 * HOUR);
    assert.equal(parseInterval('15 minutes'), 15 * 60_000);
    assert.throws(() => parseInterval('30 fortnights'), /not a Delta interval/);
    assert.throws(() => parseInterval('interval -1 days'), /not a Delta interval/);
    assert.deepEqual(retentionOf({}), { logRetentionMs: 30 * DAY, deletedFileRetentionMs: 7 * DAY });
  });

  it('log cleanup deletes only what precedes the newest expired checkpoint; the table reads the same', async () => {
    const table = await DeltaTable.open(store, 't', ALL_TYPES, { checkpointInterval: 5 });
    for (let i = 1; i <= 23; i++) await table.append([row(i)]);
    const before = ids(await readTable(store, 't', ALL_TYPES));

    const young = await cleanupLog(store, 't', HOUR);
    assert.deepEqual([young.keptFrom, young.deleted], [null, 0], 'nothing older than the retention');

    // Cut-off at commit 12's time: the newest checkpoint made by then is the log's new start.
    const cutoff = commitTime(12);
    const expected = [5, 10, 15, 20].filter((v) => commitTime(v) <= cutoff).at(-1)!;
    const mid = await cleanupLog(store, 't', HOUR, cutoff + HOUR);
    assert.equal(mid.keptFrom, expected);
    const first = logNames().find((n) => n.endsWith('.json'))!;
    assert.equal(Number(first.slice(0, 20)), expected, 'commits before the checkpoint are gone, it stays');
    assert.ok(logNames().includes(`${String(expected).padStart(20, '0')}.checkpoint.parquet`));

    // Everything expired: the log keeps the newest checkpoint (20) and the commits after it, never less.
    const all = await cleanupLog(store, 't', HOUR, Date.now() + 2 * HOUR);
    assert.equal(all.keptFrom, 20);
    assert.deepEqual(
      logNames().filter((n) => n !== '_last_checkpoint'),
      [
        '00000000000000000020.checkpoint.parquet',
        ...[20, 21, 22, 23].map((v) => `${String(v).padStart(20, '0')}.json`),
      ],
    );
    assert.equal(all.remaining, 5);
    assert.equal((await loadSnapshot(store, 't')).version, 23);
    assert.deepEqual(ids(await readTable(store, 't', ALL_TYPES)), before);
    await table.append([row(24)]); // the writer goes on from the shortened log
    assert.equal((await DeltaTable.open(store, 't', ALL_TYPES)).version, 24);
  });

  it('vacuum deletes files compaction removed only once the retention passed, and each only once', async () => {
    const table = await DeltaTable.open(store, 't', ALL_TYPES);
    for (let i = 1; i <= 8; i++) await table.append([row(i)]);
    const removed = [...table.files.keys()];
    await compactTable(store, table, { targetFileBytes: 1 << 20, minFiles: 2 });
    const before = ids(await readTable(store, 't', ALL_TYPES));
    const exists = (p: string) => fs.existsSync(path.join(root, 't', decodeURIComponent(p)));

    const early = await vacuumTable(store, 't', DAY);
    assert.deepEqual([early.deleted, early.retained], [0, 8]);
    assert.ok(removed.every(exists), 'within the retention nothing is deleted');

    const dry = await vacuumTable(store, 't', DAY, { now: Date.now() + 2 * DAY, dryRun: true });
    assert.equal(dry.deleted, 8);
    assert.ok(removed.every(exists), 'a dry run deletes nothing');

    const late = await vacuumTable(store, 't', DAY, { now: Date.now() + 2 * DAY });
    assert.equal(late.deleted, 8);
    assert.ok(late.bytes > 0);
    assert.ok(!removed.some(exists), 'removed files are gone');
    assert.ok([...table.files.keys()].every(exists), 'live files stay');
    assert.deepEqual(ids(await readTable(store, 't', ALL_TYPES)), before);
    const again = await vacuumTable(store, 't', DAY, { now: Date.now() + 3 * DAY });
    assert.equal(again.deleted, 0, 'tombstones already vacuumed are not visited again');
  });

  it('sets the retention properties once, keeps an operator value, and a checkpoint forgets old tombstones', async () => {
    const table = await DeltaTable.open(store, 't', ALL_TYPES);
    await ensureTableProperties(store, table, { ...DEFAULT_TABLE_PROPERTIES });
    const v = table.version;
    const custom = { [TABLE_PROPERTIES.logRetention]: 'interval 9 hours' };
    const config = await ensureTableProperties(store, table, custom);
    assert.equal(table.version, v, 'nothing new to set: no commit');
    assert.equal(config[TABLE_PROPERTIES.logRetention], DEFAULT_TABLE_PROPERTIES[TABLE_PROPERTIES.logRetention]);
    assert.deepEqual((await loadSnapshot(store, 't')).metaData?.configuration, DEFAULT_TABLE_PROPERTIES);

    const snapshot = new Snapshot();
    snapshot.metaData = (await loadSnapshot(store, 't')).metaData;
    const now = Date.now();
    // A tombstone stays for twice the deleted-file retention and ten minutes (retention.ts).
    const lifetime = 2 * retentionOf(DEFAULT_TABLE_PROPERTIES).deletedFileRetentionMs + 10 * 60_000;
    for (const [p, age] of [
      ['old', lifetime + 60_000],
      ['recent', lifetime - 60_000],
      ['untimed', null],
    ] as const) {
      snapshot.tombstones.set(p, { path: p, dataChange: false, deletionTimestamp: age === null ? null : now - age });
    }
    assert.deepEqual(
      expireTombstones(snapshot, now).map((t) => t.path),
      ['recent', 'untimed'],
    );
    assert.deepEqual([...snapshot.tombstones.keys()], ['recent', 'untimed']);
  });

  it('a writer idle for longer than half the log retention continues after the cleaned log, not into its gap', async () => {
    let clock = Date.now();
    const idle = await DeltaTable.open(store, 't', ALL_TYPES, { now: () => clock });
    await ensureTableProperties(store, idle); // log retention 2 hours
    await idle.append([row(0)]);
    const busy = await DeltaTable.open(store, 't', ALL_TYPES, { checkpointInterval: 5 });
    for (let i = 1; i <= 12; i++) await busy.append([row(i)]);
    const cleaned = await cleanupLog(store, 't', 2 * HOUR, Date.now() + 3 * HOUR);
    assert.equal(cleaned.keptFrom, 10);

    clock += 3 * HOUR;
    const result = await idle.append([row(100), row(3)]);
    assert.equal(result.version, 15, 'committed after the newest version');
    assert.deepEqual(result.duplicateKeys, ['k3'], 'keys committed meanwhile are known after the reload');
    const rows = await readTable(store, 't', ALL_TYPES);
    assert.equal(rows.length, 14);
    assert.ok(ids(rows).includes('k100'));
  });

  it('default compaction leaves a file of the target size alone: a run rewrites only the files appended since', async () => {
    // A run decodes its files whole (tens of times their size in memory): with the default options a partition's
    // compacted file must stop being re-read once it reaches the target, or each run costs more than the last.
    const table = await DeltaTable.open(store, 't', ALL_TYPES);
    const day = '2026-12-05';
    const big = Array.from({ length: 40_000 }, (_, i) => ({
      id: `b${i}`,
      s: crypto.randomBytes(40).toString('base64'),
      day,
    }));
    await table.append(big);
    const [large] = [...table.files.values()];
    assert.ok(
      large!.size >= DEFAULT_COMPACT.targetFileBytes,
      `setup: a file of ${large!.size} bytes, at least the target`,
    );
    for (let i = 0; i < 3; i++) await table.append([{ id: `k${i}`, day }]);

    const report = await compactTable(store, table);
    assert.equal(report.partitions.length, 1);
    assert.equal(report.partitions[0]!.filesBefore, 3, 'only the three small files were rewritten');
    assert.ok(table.files.has(large!.path), 'the large file is still live, untouched');
    assert.equal(table.files.size, 2);
    assert.equal((await readTable(store, 't', ALL_TYPES)).length, 40_003);
  });
});
