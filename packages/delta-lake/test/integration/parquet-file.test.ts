import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeColumn } from '../../src/column-encoder';
import { readParquet } from '../../src/parquet';
import { assembleDataFile } from '../../src/parquet-file';
import { encodeColumnChunk } from '../../src/parquet-pages';
import { transposeRows } from '../../src/row-batch';
import type { Row, TableDef } from '../../src/schema';
import { ALL_TYPES } from '../support/all-types';
import { runPython } from '../support/python';

/** The all-types table unpartitioned: every column goes into the file. */
const DEF: TableDef = { ...ALL_TYPES, partitionColumns: [] };

const ROWS = 5000;

/** Rows with nulls in runs and alone, empty / non-ASCII / long strings (short and long non-ASCII), int64 extremes,
 * times before 1970. */
function row(k: number): Row {
  const s =
    k % 7 === 0
      ? null
      : k % 11 === 0
        ? ''
        : k % 13 === 0
          ? `zoë-🚀-${k}`
          : k % 17 === 0
            ? `${'x'.repeat(100)}${k}`
            : `v${k}`;
  const n =
    k === 1
      ? -(2n ** 63n)
      : k === 2
        ? 2n ** 63n - 1n
        : k % 5 === 0
          ? null
          : BigInt(k) * 3_000_000_000n * (k % 2 ? -1n : 1n);
  // Long ids are written by one native call each; non-ASCII ones too, without switching the column's encoder.
  const id = k % 19 === 0 ? `${'ü'.repeat(60)}-${k}` : k % 23 === 0 ? `${'y'.repeat(70)}-${k}` : `k${k}`;
  return {
    id,
    s,
    n,
    i: k % 6 === 0 ? null : ((k * 7919) % 100_000) - 50_000,
    d: k % 4 === 0 ? null : k / 4 - 100, // exact in binary: both readers print it the same way
    b: k % 3 === 0 ? null : k % 2 === 0,
    ts: (k >= 1000 && k < 1400) || k % 8 === 0 ? null : new Date(Date.UTC(1950 + (k % 100), k % 12, 1) + k),
    day: `19${50 + (k % 50)}-0${1 + (k % 9)}-1${k % 10}`, // required
  };
}

/** Every cell in one string form, as both readers print it (timestamps as epoch µs, dates as epoch days). */
function expectedCells(r: Row): (string | null)[] {
  const str = (v: Row[string]) => (v === null || v === undefined ? null : String(v));
  return [
    str(r.id),
    str(r.s),
    str(r.n),
    str(r.i),
    str(r.d),
    r.b === null ? null : r.b ? 'true' : 'false',
    r.ts === null ? null : String(BigInt((r.ts as Date).getTime()) * 1000n),
    String(Date.parse(`${r.day as string}T00:00Z`) / 86_400_000),
    null,
  ];
}

const READ_PYARROW = `
import sys, json
import pyarrow as pa, pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
t = f.read()
t = t.set_column(t.schema.get_field_index("ts"), "ts", t["ts"].cast(pa.int64()))
t = t.set_column(t.schema.get_field_index("day"), "day", t["day"].cast(pa.int32()))
def cell(v):
    if v is None: return None
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, float): return repr(v)[:-2] if repr(v).endswith(".0") else repr(v)
    return str(v)
rows = [[cell(v) for v in r.values()] for r in t.to_pylist()]
md = f.metadata
stats = []
for k in range(md.num_columns):
    c = md.row_group(0).column(k)
    s = c.statistics
    stats.append({"name": c.path_in_schema, "compression": c.compression, "nulls": s.null_count,
                  "min": str(s.min_raw) if s.has_min_max else None, "max": str(s.max_raw) if s.has_min_max else None})
schema = [[fld.name, str(fld.type)] for fld in f.schema_arrow]
print(json.dumps({"rows": rows, "stats": stats, "schema": schema, "created_by": md.created_by, "row_groups": md.num_row_groups}))
`;

interface PyarrowView {
  rows: (string | null)[][];
  stats: { name: string; compression: string; nulls: number; min: string | null; max: string | null }[];
  schema: [string, string][];
  created_by: string;
  row_groups: number;
}

describe('Parquet data files, read back by pyarrow and arrow-rs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rows = Array.from({ length: ROWS }, (_, k) => row(k));
  const write = (pageBytes: number): string => {
    const batch = transposeRows(DEF, rows);
    const indexes = Array.from(rows.keys());
    const chunks = DEF.columns.map((c) => encodeColumnChunk(encodeColumn(batch, c, indexes), pageBytes));
    const file = path.join(dir, `data-${pageBytes}.parquet`);
    fs.writeFileSync(file, assembleDataFile(chunks, ROWS));
    return file;
  };

  for (const pageBytes of [1 << 20, 1000]) {
    it(`every type, null pattern and ${pageBytes === 1000 ? 'page boundary (1 KB pages)' : 'value (1 MB pages)'} reads back as written`, async () => {
      const file = write(pageBytes);
      const view = JSON.parse(await runPython(READ_PYARROW, [file])) as PyarrowView;
      const want = rows.map(expectedCells);
      assert.deepEqual(view.schema, [
        ['id', 'string'],
        ['s', 'string'],
        ['n', 'int64'],
        ['i', 'int32'],
        ['d', 'double'],
        ['b', 'bool'],
        ['ts', 'timestamp[us, tz=UTC]'],
        ['day', 'date32[day]'],
        ['never', 'string'],
      ]);
      assert.equal(view.rows.length, ROWS);
      for (let k = 0; k < ROWS; k++) assert.deepEqual(view.rows[k], want[k], `pyarrow, row ${k}`);

      // arrow-rs (parquet-wasm, the reader delta-rs is built on) reads the same values.
      const table = readParquet(fs.readFileSync(file));
      const arrowCell = (name: string, k: number): string | null => {
        const v = table.getChild(name)!.get(k) as unknown;
        if (v === null || v === undefined) return null;
        if (name === 'ts') return String(BigInt(v as number) * 1000n); // apache-arrow gives ms
        if (name === 'day') return String(Math.round((v as number) / 86_400_000));
        return String(v);
      };
      for (let k = 0; k < ROWS; k += 7) {
        assert.deepEqual(
          DEF.columns.map((c) => arrowCell(c.name, k)),
          want[k]!.map((v, j) =>
            DEF.columns[j]!.name === 'ts' && v !== null ? String((BigInt(v) / 1000n) * 1000n) : v,
          ),
          `arrow-rs, row ${k}`,
        );
      }
    });
  }

  it('writes one snappy row group with null counts, min/max of integers, dates and timestamps, and a parseable created_by', async () => {
    const view = JSON.parse(await runPython(READ_PYARROW, [write(1 << 20)])) as PyarrowView;
    assert.equal(view.row_groups, 1);
    assert.match(view.created_by, /^kafka-pipeline version \d+\.\d+\.\d+/); // parquet-mr trusts stats it can parse
    const want = rows.map(expectedCells);
    DEF.columns.forEach((c, j) => {
      const values = want.map((r) => r[j]).filter((v): v is string => v !== null);
      const stat = view.stats[j];
      assert.equal(stat!.compression, 'SNAPPY', c.name);
      assert.equal(stat!.nulls, ROWS - values.length, `${c.name} null count`);
      if (['n', 'i', 'ts', 'day'].includes(c.name)) {
        const sorted = values.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        assert.deepEqual([stat!.min, stat!.max], [String(sorted[0]), String(sorted.at(-1))], `${c.name} min/max`);
      } else assert.deepEqual([stat!.min, stat!.max], [null, null], `${c.name} keeps no min/max`);
    });
  });
});
