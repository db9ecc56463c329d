import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeColumn, fileStatsJson } from '../../src/column-encoder';
import { readParquet } from '../../src/parquet';
import { assembleDataFile } from '../../src/parquet-file';
import { encodeColumnChunk } from '../../src/parquet-pages';
import { transposeRows } from '../../src/row-batch';
import { columnDef as col, type Row, type TableDef } from '../../src/schema';
import { runPython } from '../support/python';

const ROWS = 3000;

/** String columns that repeat their values in different ways (and two that only look as if they do). */
const DEF: TableDef = {
  name: 'dictionary',
  keyColumn: 'one',
  partitionColumns: [],
  columns: [
    col('one', 'string', false), // a single value
    col('runs', 'string'), // four values in runs of 1-12, nulls between
    col('mixed', 'string'), // three values, never twice in a row; non-ASCII, empty, long
    col('wide', 'string'), // 600 distinct values (the sampled cells: 8): 10-bit entry numbers
    col('tail', 'string'), // the sampled cells repeat, the others are distinct: encoded plain after all
    col('nulls', 'string'), // all null
    col('gap', 'string'), // three values, with 1,000 nulls in a row: whole data pages of nulls
  ],
};

/** Rows between the cells the encoder samples to choose a dictionary (64 of them). */
const SAMPLE_STEP = Math.floor(ROWS / 64);

const MIXED = ['', 'zoë 🚀 日本', `${'long '.repeat(10)}value`];

function row(k: number): Row {
  const runLen = 1 + ((k >> 4) % 12);
  return {
    one: 'verisk.claims.property.xn.documentsReceived',
    runs: k % 29 === 0 ? null : `status-${Math.floor(k / runLen) % 4}`,
    mixed: MIXED[k % 3],
    wide: k % SAMPLE_STEP === 0 ? `s${(k / SAMPLE_STEP) % 8}` : `w${(k * 7) % 600}`,
    tail: k % SAMPLE_STEP === 0 ? 'sampled' : `t${k}`,
    nulls: null,
    gap: k >= 1000 && k < 2000 ? null : `g${k % 3}`,
  };
}

const READ = `
import sys, json
import pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
md = f.metadata.row_group(0)
cols = [{"name": md.column(k).path_in_schema, "encodings": sorted(md.column(k).encodings),
         "dictionary": md.column(k).has_dictionary_page, "nulls": md.column(k).statistics.null_count}
        for k in range(md.num_columns)]
print(json.dumps({"rows": f.read().to_pylist(), "columns": cols}))
`;

interface View {
  rows: Record<string, string | null>[];
  columns: { name: string; encodings: string[]; dictionary: boolean; nulls: number }[];
}

describe('Parquet dictionary-encoded string columns, read back by pyarrow and arrow-rs', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-dictionary-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rows = Array.from({ length: ROWS }, (_, k) => row(k));
  const batch = transposeRows(DEF, rows);
  const indexes = Array.from(rows.keys());

  for (const pageBytes of [1 << 20, 500]) {
    it(`every value reads back, ${pageBytes === 500 ? 'over many data pages after the dictionary page' : 'in one data page'}`, async () => {
      const columns = DEF.columns.map((c) => encodeColumn(batch, c, indexes));
      const dictionaries = columns.filter((c) => c.dictionary).map((c) => c.name);
      assert.deepEqual(dictionaries, ['one', 'runs', 'mixed', 'wide', 'gap']);
      const file = path.join(dir, `data-${pageBytes}.parquet`);
      fs.writeFileSync(
        file,
        assembleDataFile(
          columns.map((c) => encodeColumnChunk(c, pageBytes)),
          ROWS,
        ),
      );

      const view = JSON.parse(await runPython(READ, [file])) as View;
      assert.equal(view.rows.length, ROWS);
      for (let k = 0; k < ROWS; k++) assert.deepEqual(view.rows[k], rows[k], `pyarrow, row ${k}`);
      for (const c of view.columns) {
        const dictionary = dictionaries.includes(c.name);
        assert.equal(c.dictionary, dictionary, `${c.name} has a dictionary page`);
        assert.deepEqual(c.encodings, dictionary ? ['PLAIN_DICTIONARY', 'RLE'] : ['PLAIN', 'RLE'], c.name);
        assert.equal(c.nulls, rows.filter((r) => r[c.name] === null).length, `${c.name} null count`);
      }

      const table = readParquet(fs.readFileSync(file)); // arrow-rs, as delta-rs reads
      for (let k = 0; k < ROWS; k += 3) {
        for (const c of DEF.columns)
          assert.equal(table.getChild(c.name)!.get(k), rows[k]![c.name], `arrow-rs ${c.name} ${k}`);
      }
    });
  }

  it('Delta stats of dictionary and plain columns: min/max over their values (none when one is over 32 characters)', () => {
    const columns = DEF.columns.map((c) => encodeColumn(batch, c, indexes));
    const stats = JSON.parse(
      fileStatsJson(
        columns,
        columns.map((c) => encodeColumnChunk(c)),
        ROWS,
      ),
    ) as {
      minValues: Record<string, string>;
      maxValues: Record<string, string>;
      nullCount: Record<string, number>;
    };
    const values = (name: string) =>
      rows
        .map((r) => r[name] as string | null)
        .filter((v) => v !== null)
        .sort();
    for (const name of ['runs', 'wide', 'tail']) {
      assert.deepEqual([stats.minValues[name], stats.maxValues[name]], [values(name)[0], values(name).at(-1)], name);
    }
    for (const name of ['one', 'mixed']) assert.ok(!(name in stats.minValues || name in stats.maxValues), name); // 43, 50 chars
    assert.equal(stats.nullCount.runs, rows.filter((r) => r.runs === null).length);
  });

  it('a column asked for plain (the key column, whose bytes are hashed) is plain', () => {
    const plain = encodeColumn(batch, DEF.columns[0]!, indexes, true);
    assert.equal(plain.dictionary, undefined);
    assert.ok(plain.valueOffsets);
  });

  it('a required column with a null is still a clear error naming the column', () => {
    const bad = transposeRows(DEF, [...rows.slice(0, 100), { ...row(100), one: null }]);
    assert.throws(() => encodeColumn(bad, DEF.columns[0]!, Array.from(bad.rows.keys())), /"one" is required/);
  });
});
