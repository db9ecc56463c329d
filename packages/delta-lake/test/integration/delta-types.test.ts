import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compactTable } from '../../src/compact';
import type { Row } from '../../src/schema';
import { DeltaTable } from '../../src/table';
import { FolderStore } from '../support/folder-store';
import { ALL_TYPES } from '../support/all-types';
import { runPython } from '../support/python';

/** delta-rs' view of the table: every cell as a string (timestamps as epoch micros, dates as days), and the stats. */
const READ = `
import sys, json
import pyarrow as pa
from deltalake import DeltaTable
dt = DeltaTable(sys.argv[1])
t = dt.to_pyarrow_table()
t = t.set_column(t.schema.get_field_index("ts"), "ts", t["ts"].cast(pa.int64()))
t = t.set_column(t.schema.get_field_index("day"), "day", t["day"].cast(pa.int32()))
rows = [{k: (None if v is None else str(v)) for k, v in r.items()} for r in t.to_pylist()]
adds = [{k: (None if v is None else str(v)) for k, v in a.items()} for a in pa.table(dt.get_add_actions(flatten=True)).to_pylist()]
print(json.dumps({"rows": rows, "adds": adds}))
`;

type Cells = Record<string, string | null>;

/** What delta-rs must show for a row we wrote (the same string forms as READ). */
function expected(row: Row): Cells {
  const micros = (v: Row[string]): string | null => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return String(v);
    const ms = v instanceof Date ? v.getTime() : Date.parse(String(v));
    return String(BigInt(ms) * 1000n);
  };
  const days = (v: Row[string]) =>
    String(Date.parse(v instanceof Date ? v.toISOString() : `${String(v)}T00:00Z`) / 86_400_000);
  const str = (v: Row[string]) => (v === null || v === undefined ? null : String(v));
  const b = row.b === null || row.b === undefined ? null : row.b ? 'True' : 'False';
  return {
    id: str(row.id),
    s: str(row.s),
    n: str(row.n),
    i: str(row.i),
    d: typeof row.d === 'number' && Number.isInteger(row.d) ? row.d.toFixed(1) : str(row.d), // Python's float str
    b,
    ts: micros(row.ts),
    day: days(row.day),
    never: null,
  };
}

describe('Delta writer: every column type, read back by delta-rs', function () {
  this.timeout(120_000);
  let root: string;
  let store: FolderStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-types-'));
    store = new FolderStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('round-trips strings (ASCII, repeated, non-ASCII from mid-column), longs beyond 2^53, Date/ISO/µs timestamps, nulls; stats match', async () => {
    const first: Row[] = [
      {
        id: 'a',
        s: 'plain',
        n: 1,
        i: -2147483648,
        d: 1.5,
        b: true,
        ts: new Date(Date.UTC(2025, 11, 25, 10, 0, 0, 7)),
        day: '2025-12-25',
      },
      {
        id: 'b',
        s: 'plain',
        n: 9007199254740993n,
        i: 2147483647,
        d: -0.25,
        b: false,
        ts: '2025-12-25T10:00:00.123Z',
        day: '2025-12-25',
      },
      { id: 'c', s: null, n: null, i: null, d: null, b: null, ts: null, day: new Date(Date.UTC(2025, 11, 25)) },
      { id: 'd', s: 'Zürich ✓', n: -(2n ** 62n), i: 0, d: 0, b: true, ts: 1766656800123456n, day: '2025-12-25' },
      {
        id: 'e',
        s: 'plain',
        n: 5,
        i: 7,
        d: 2,
        b: false,
        ts: new Date(Date.UTC(1960, 0, 1, 0, 0, 0, 1)),
        day: '2025-12-25',
      },
      { id: 'f', s: 'x'.repeat(40), n: 0, i: 1, d: 1, b: true, ts: '2025-12-26T00:00:00Z', day: '2025-12-26' },
      { id: 'g', s: 'short', i: 2, day: '2025-12-26' },
    ];
    const second: Row[] = [{ id: 'h', s: 'äöü', n: 3, i: 3, d: 3, b: true, ts: 1766656800000001n, day: '2025-12-25' }];
    const table = await DeltaTable.open(store, 'all_types', ALL_TYPES);
    await table.append(first);
    const appended = await table.append(second);
    assert.equal(appended.version, 2);

    const read = async () =>
      JSON.parse(await runPython(READ, [path.join(root, 'all_types')])) as { rows: Cells[]; adds: Cells[] };
    const byId = (rows: Cells[]) => [...rows].sort((x, y) => String(x.id).localeCompare(String(y.id)));
    const want = byId([...first, ...second].map(expected));
    const before = await read();
    assert.deepEqual(byId(before.rows), want);

    // Stats in the log as delta-rs parses them (first file of 2025-12-25: rows a-e).
    const day25 = before.adds.find((a) => a['num_records'] === '5')!;
    assert.equal(day25['null_count.s'], '1');
    assert.equal(day25['min.s'], 'Zürich ✓');
    assert.equal(day25['max.s'], 'plain');
    assert.equal(day25['min.n'], String(-(2n ** 62n)));
    assert.equal(day25['max.n'], '9007199254740993', 'exact beyond 2^53');
    assert.equal(day25['min.i'], '-2147483648');
    assert.equal(day25['max.i'], '2147483647');
    assert.equal(day25['min.d'], '-0.25');
    assert.equal(day25['null_count.never'], '5');
    assert.match(String(day25['min.ts']), /^1960-01-01 00:00:00\.001/);
    assert.match(String(day25['max.ts']), /^2025-12-25 10:00:00\.123/);
    const day26 = before.adds.find((a) => a['num_records'] === '2')!;
    assert.equal(day26['min.s'], null, 'a value over 32 characters: no min/max for the column');

    // Compaction re-encodes the rows of 2025-12-25 from its two files: nothing changes, microseconds included.
    const report = await compactTable(store, table, { targetFileBytes: 1024 * 1024, minFiles: 2 });
    assert.deepEqual(
      report.partitions.map((p) => [p.partition.day, p.filesBefore, p.rows]),
      [['2025-12-25', 2, 6]],
    );
    const after = await read();
    assert.deepEqual(byId(after.rows), want);
  });

  it('rejects bad cells naming the column: wrong kinds, out of range, required but absent', async () => {
    const table = await DeltaTable.open(store, 'all_types', ALL_TYPES);
    const ok: Row = { id: 'ok', day: '2025-12-25' };
    const cases: [Row, RegExp][] = [
      [{ id: 'x', n: 1.5, day: '2025-12-25' }, /row 1 \(id=x\): column "n" expected long, got number/],
      [{ id: 'x', n: 2n ** 64n, day: '2025-12-25' }, /column "n" expected long, got bigint/],
      [{ id: 'x', i: 2 ** 31, day: '2025-12-25' }, /column "i" expected integer/],
      [{ id: 'x', d: NaN, day: '2025-12-25' }, /column "d" expected double/],
      [{ id: 'x', b: 'yes', day: '2025-12-25' }, /column "b" expected boolean, got string/],
      [{ id: 'x', ts: 'yesterday', day: '2025-12-25' }, /column "ts" expected timestamp, got string/],
      [{ id: 'x', ts: 1766656800, day: '2025-12-25' }, /column "ts" expected timestamp, got number/],
      [{ id: 'x', s: 5, day: '2025-12-25' }, /column "s" expected string, got number/],
      [{ id: 7, day: '2025-12-25' }, /column "id" expected string, got number/], // the key column
      [{ id: 'x', day: '25.12.2025' }, /column "day" expected date/],
      [{ id: 'x' }, /column "day" is required/],
    ];
    for (const [bad, message] of cases) {
      await assert.rejects(
        table.append([ok, bad]),
        message,
        `${JSON.stringify(bad, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`,
      );
    }
    assert.equal(table.version, 0, 'nothing committed');
    const files = fs.readdirSync(path.join(root, 'all_types'), { recursive: true });
    assert.deepEqual(
      files.filter((f) => String(f).endsWith('.parquet')),
      [],
      'no data file left behind',
    );
  });

  it('stores no data file at all when a later partition of the append has a bad cell', async () => {
    const puts: string[] = [];
    const recording = new (class extends FolderStore {
      override put(p: string, data: Parameters<FolderStore['put']>[1]): Promise<number> {
        puts.push(p);
        return super.put(p, data);
      }
    })(root);
    const table = await DeltaTable.open(recording, 'all_types', ALL_TYPES);
    const good = Array.from({ length: 2000 }, (_, k) => ({ id: `g${k}`, s: 'x', day: '2025-12-25' }));
    await assert.rejects(table.append([...good, { id: 'bad', s: 5, day: '2025-12-26' }]), /column "s" expected string/);
    assert.deepEqual(
      puts.filter((p) => p.endsWith('.parquet')),
      [],
      'the first partition was valid, but nothing is stored before every cell is',
    );
    await table.append(good); // the writer is still usable, its Parquet thread too
    assert.equal(table.version, 1);
  });
});
