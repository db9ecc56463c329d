import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSnapshot, DeltaSchemaError, compactTable, DeltaTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { readWithDeltaRs, runPython } from '../support/delta-rs';
import { eventRow, range } from '../support/xact-rows';

describe('Delta writer conformance, read back by delta-rs', function () {
  this.timeout(120_000);
  let root: string;
  let store: LocalObjectStore;
  const tablePath = (name = 'xact_events') => path.join(root, name);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-'));
    store = new LocalObjectStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates a reader 1 / writer 2 table whose schema, partitions and rows delta-rs reads as written', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    const rows = range(0, 7).map((i) => eventRow(i));
    const result = await table.append(rows);
    assert.equal(result.version, 1);
    assert.equal(result.files.length, 3, 'one file per event_date partition');

    const view = await readWithDeltaRs(tablePath());
    assert.equal(view.version, 1);
    assert.deepEqual(view.protocol, [1, 2]);
    assert.deepEqual(view.partition_columns, ['event_date']);
    assert.deepEqual(
      view.schema.map(([name, type]) => [name, type]),
      XACT_EVENTS.columns.map((c) => [c.name, `PrimitiveType("${c.type}")`]),
    );
    assert.deepEqual(
      view.history.map((h) => h.operation),
      ['WRITE', 'CREATE TABLE'],
    );
    const byId = new Map(view.rows.map((r) => [r.event_id, r]));
    assert.equal(byId.size, 7);
    for (const row of rows) {
      const got = byId.get(row.event_id as string)!;
      assert.equal(got.event_date, row.event_date);
      assert.equal(got.description, row.description);
      assert.equal(got.raw_json, row.raw_json);
      assert.equal(Date.parse(String(got.ingested_at)), (row.ingested_at as Date).getTime());
    }
  });

  it('skips rows whose key the table already has, so a retried append commits nothing twice', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    await table.append(range(0, 5).map((i) => eventRow(i)));
    const again = await table.append(range(3, 8).map((i) => eventRow(i)));
    assert.deepEqual([...again.duplicateKeys].sort(), ['evt-3', 'evt-4']);
    assert.deepEqual([...again.writtenKeys].sort(), ['evt-5', 'evt-6', 'evt-7']);
    const noop = await table.append(range(0, 8).map((i) => eventRow(i)));
    assert.equal(noop.version, null);
    // A fresh writer (new process after a crash) knows nothing in memory and must still see the keys.
    const reopened = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    assert.equal((await reopened.append([eventRow(2)])).version, null);
    // A key twice in one append (an event redelivered into the same batch): its first row is written, once.
    const twice = await reopened.append([eventRow(8), eventRow(9), { ...eventRow(8), description: 'second copy' }]);
    assert.deepEqual([...twice.writtenKeys].sort(), ['evt-8', 'evt-9']);
    const view = await readWithDeltaRs(tablePath());
    assert.equal(view.version, 3);
    assert.equal(view.rows.length, 10);
    assert.equal(view.rows.find((r) => r.event_id === 'evt-8')?.description, eventRow(8).description);
  });

  it('a partition evicted from the key index is read back from its files and still refuses its keys', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS, { keyIndexPartitions: 1 });
    const on = (i: number, day: string) => ({ ...eventRow(i), event_date: day });
    await table.append([on(1, '2025-12-25'), on(2, '2025-12-25')]);
    await table.append([on(3, '2025-12-26')]); // holds one partition: 2025-12-25 goes
    const replay = await table.append([on(2, '2025-12-25'), on(4, '2025-12-25'), on(3, '2025-12-26')]);
    assert.deepEqual(replay.writtenKeys, ['evt-4']);
    assert.deepEqual([...replay.duplicateKeys].sort(), ['evt-2', 'evt-3']);
    assert.equal((await readWithDeltaRs(tablePath())).rows.length, 4);
  });

  it('a new writer loads a partition whose one data file holds 200,000 keys, refuses them and adds new ones', async () => {
    // Compaction makes files this large; the key index once spread a file's keys into one call and overflowed.
    const big = range(0, 200_000).map((i) => ({ ...eventRow(i), event_date: '2025-12-25' }));
    await (await DeltaTable.open(store, 'xact_events', XACT_EVENTS)).append(big);
    const reopened = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    const replay = await reopened.append([big[0]!, big[199_999]!, { ...eventRow(200_000), event_date: '2025-12-25' }]);
    assert.deepEqual(replay.writtenKeys, ['evt-200000']);
    assert.deepEqual([...replay.duplicateKeys].sort(), ['evt-0', 'evt-199999']);
    const count =
      'import sys; from deltalake import DeltaTable; t = DeltaTable(sys.argv[1]).to_pyarrow_table(columns=["event_id"]); print(t.num_rows, len(set(t.column(0).to_pylist())))';
    assert.equal((await runPython(count, [tablePath()])).trim(), '200001 200001'); // delta-rs: rows, distinct keys
  });

  it('writes a checkpoint every 10 commits that delta-rs and our reader both load, with time travel intact', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS, { checkpointInterval: 10 });
    for (const i of range(0, 25)) await table.append([eventRow(i)]);
    assert.equal(table.version, 25);
    const last = JSON.parse(fs.readFileSync(path.join(tablePath(), '_delta_log', '_last_checkpoint'), 'utf8'));
    assert.equal(last.version, 20);
    assert.ok(fs.existsSync(path.join(tablePath(), '_delta_log', '00000000000000000010.checkpoint.parquet')));

    // Without the JSON commits before it, only the checkpoint can give the state at version 20.
    for (const v of range(0, 20))
      fs.rmSync(path.join(tablePath(), '_delta_log', `${String(v).padStart(20, '0')}.json`));
    const ours = await loadSnapshot(store, 'xact_events');
    assert.equal(ours.version, 25);
    assert.equal(ours.files.size, 25);
    assert.equal(ours.metaData?.partitionColumns[0], 'event_date');
    const view = await readWithDeltaRs(tablePath());
    assert.equal(view.version, 25);
    assert.equal(view.rows.length, 25);
    const v22 = await readWithDeltaRs(tablePath(), 22);
    assert.equal(v22.rows.length, 22);
  });

  it('reads a checkpoint written by delta-rs', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    for (const i of range(0, 3)) await table.append([eventRow(i), eventRow(i + 100)]);
    await runPython('import sys; from deltalake import DeltaTable; DeltaTable(sys.argv[1]).create_checkpoint()', [
      tablePath(),
    ]);
    const ours = await loadSnapshot(store, 'xact_events');
    assert.equal(ours.version, 3);
    assert.equal(ours.files.size, table.files.size);
    const reopened = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    assert.equal(
      (await reopened.append([eventRow(0), eventRow(100)])).version,
      null,
      'keys found via their checkpoint',
    );
  });

  it('appends to a table created by delta-rs write_deltalake, and delta-rs reads all rows back', async () => {
    await runPython(
      `
import sys, datetime as dt
import pyarrow as pa
from deltalake import write_deltalake
fields = [("type", pa.string()), ("status_subtype", pa.string()), ("version", pa.string()),
          ("ingested_at", pa.timestamp("us", tz="UTC")), ("event_date", pa.date32()), ("trace_id", pa.string()),
          ("event_id", pa.string())]
names = ["description","assignment_id","original_assignment_id","xn_address","carrier_id","estimate_version","note",
         "author","sender_reviewer_name","sender_reviewer_email","carrier_reviewer_name","carrier_reviewer_email",
         "event_datetime_mdt","attachments","claim_number","contact_type","contact_name","contact_phone_type",
         "contact_phone_number","contact_phone_extension","contact_email_address","raw_json"]
fields += [(n, pa.string()) for n in names]
fields += [("created_at", pa.timestamp("us", tz="UTC")), ("created_date", pa.date32())]
schema = pa.schema(fields)
row = {f[0]: None for f in fields}
row.update(type="t", event_id="from-delta-rs", trace_id="tr", ingested_at=dt.datetime(2025,12,25,tzinfo=dt.timezone.utc),
           event_date=dt.date(2025,12,25), created_at=dt.datetime(2026,1,1,tzinfo=dt.timezone.utc), created_date=dt.date(2026,1,1))
write_deltalake(sys.argv[1], pa.Table.from_pylist([row], schema=schema), partition_by=["event_date"])
`,
      [tablePath()],
    );
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    assert.equal(table.version, 0);
    await table.append([eventRow(1), eventRow(2)]);
    const view = await readWithDeltaRs(tablePath());
    assert.deepEqual(view.rows.map((r) => r.event_id).sort(), ['evt-1', 'evt-2', 'from-delta-rs']);

    // Compaction merges delta-rs's file with ours (partition 2025-12-25); delta-rs reads the same rows after.
    await table.append([eventRow(0)]);
    await table.append([eventRow(3)]);
    const before = await readWithDeltaRs(tablePath());
    const report = await compactTable(store, table, { targetFileBytes: 1024 * 1024, minFiles: 2 });
    assert.deepEqual(
      report.partitions.map((p) => [p.partition.event_date, p.filesBefore, p.rows]),
      [['2025-12-25', 3, 3]],
    );
    const after = await readWithDeltaRs(tablePath());
    const byId = (rows: Record<string, unknown>[]) =>
      [...rows].sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
    assert.deepEqual(byId(after.rows), byId(before.rows));
    assert.equal(after.num_files, before.num_files - 2);
  });

  it('rejects a row that does not fit the schema with an error naming the column, and writes nothing', async () => {
    const table = await DeltaTable.open(store, 'xact_events', XACT_EVENTS);
    const bad = { ...eventRow(1), version: 1 as unknown as string };
    await assert.rejects(
      table.append([eventRow(0), bad]),
      (err: unknown) =>
        err instanceof DeltaSchemaError &&
        /row 1 \(event_id=evt-1\): column "version" expected string, got number/.test(err.message),
    );
    await assert.rejects(table.append([{ ...eventRow(2), surprise: 'x' }]), /unknown column "surprise"/);
    await assert.rejects(table.append([{ ...eventRow(3), event_id: null }]), /column "event_id" is required/);
    assert.equal(table.version, 0);
    const dataFiles = fs.readdirSync(tablePath(), { recursive: true }).filter((f) => String(f).endsWith('.parquet'));
    assert.deepEqual(dataFiles, []);
  });
});
