import assert from 'node:assert/strict';
import { indexRows } from '../../src/append-files';
import { transposeRows } from '../../src/row-batch';
import { partitionKeyOf } from '../../src/log';
import { columnDef as col, type Row, type TableDef } from '../../src/schema';

const day = (d: string) => partitionKeyOf({ day: d });

describe('indexRows (rows grouped by partition, first row of each key)', () => {
  const rowsOf = (index: ReturnType<typeof indexRows>) =>
    Object.fromEntries([...index.partitions].map(([p, part]) => [p, { rows: part.rows, keys: part.keys.size }]));

  it('keeps the first row of each string key per partition; the key column is encoded once for the file', () => {
    const def: TableDef = {
      name: 't',
      keyColumn: 'id',
      partitionColumns: ['day'],
      columns: [col('id', 'string', false), col('day', 'date', false), col('s', 'string')],
    };
    const rows: Row[] = [
      { id: 'a', day: '2025-12-25', s: '1' },
      { id: 'b', day: '2025-12-26', s: '2' },
      { id: 'a', day: '2025-12-25', s: 'repeat' },
      { id: 'c', day: '2025-12-25', s: '3' },
      { id: 'c', day: '2025-12-25', s: 'repeat, next to its first' },
    ];
    const index = indexRows(transposeRows(def, rows));
    assert.deepEqual(rowsOf(index), {
      [day('2025-12-25')]: { rows: [0, 3], keys: 2 },
      [day('2025-12-26')]: { rows: [1], keys: 1 },
    });
    assert.equal(index.partitions.get(day('2025-12-25'))!.keyColumn, undefined, 'rows were dropped: encoded again');
    assert.equal(index.partitions.get(day('2025-12-26'))!.keyColumn?.name, 'id');
  });

  it('compares keys of other types by their string form', () => {
    const def: TableDef = {
      name: 't',
      keyColumn: 'n',
      partitionColumns: ['day'],
      columns: [col('n', 'long', false), col('day', 'date', false)],
    };
    const rows: Row[] = [
      { n: 1, day: '2025-12-25' },
      { n: 2n, day: '2025-12-25' },
      { n: 1n, day: '2025-12-25' }, // the same key as 1
    ];
    const index = indexRows(transposeRows(def, rows));
    assert.deepEqual(rowsOf(index), { [day('2025-12-25')]: { rows: [0, 1], keys: 2 } });
    assert.equal(index.partitions.get(day('2025-12-25'))!.keyColumn, undefined);
  });
});
