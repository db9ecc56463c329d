import assert from 'node:assert/strict';
import { ColumnArrays, transposeRows } from '../../src/row-batch';
import { DeltaSchemaError, type Row } from '../../src/schema';
import { ALL_TYPES } from '../support/all-types';

describe('transposeRows (rows → columns)', () => {
  const column = (rows: Row[], name: string) => {
    const cells = transposeRows(ALL_TYPES, rows).cells.get(name);
    return cells ? Array.from({ length: rows.length }, (_, i) => cells[i]) : null;
  };

  it('puts every cell in its column whatever the key order, missing keys and row shapes of the batch', () => {
    // An enumerable property of the prototype is not the row's own: not a cell (for...in would see it).
    const inherited = Object.assign(Object.create({ s: 'from the prototype' }) as object, { id: 'p' }) as Row;
    const rows: Row[] = [
      { id: 'a', s: 'x', n: 1 },
      { id: 'b', s: 'y', n: 2 }, // same keys as before
      { s: 'z', id: 'c', n: 3 }, // other order: the first key differs
      { id: 'd', s: 'w' }, // fewer keys
      { id: 'e', s: 'v', n: 5, i: 7 }, // one more key
      { id: 'f', n: 6, s: 'u' }, // other order: a later key differs
      {},
      inherited,
      { id: 'g', s: undefined, n: null },
    ];
    assert.deepEqual(column(rows, 'id'), ['a', 'b', 'c', 'd', 'e', 'f', undefined, 'p', 'g']);
    assert.deepEqual(column(rows, 's'), ['x', 'y', 'z', 'w', 'v', 'u', undefined, undefined, undefined]);
    assert.deepEqual(column(rows, 'n'), [1, 2, 3, undefined, 5, 6, undefined, undefined, null]);
    assert.deepEqual(column(rows, 'i'), [
      undefined,
      undefined,
      undefined,
      undefined,
      7,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    assert.equal(column(rows, 'never'), null);
  });

  it("reuses released column arrays without letting a batch see an earlier batch's cells", () => {
    const arrays = new ColumnArrays();
    const first = transposeRows(
      ALL_TYPES,
      [
        { id: 'a', s: 'x', n: 1 },
        { id: 'b', s: 'y', n: 2 },
        { id: 'c', s: 'z' },
      ],
      arrays,
    );
    const firstArrays = new Set([...first.cells.values()].filter((c) => c !== null));
    arrays.release(first);
    const second = transposeRows(
      ALL_TYPES,
      [
        { id: 'd', n: 4 },
        { s: 'w', id: 'e' },
      ],
      arrays,
    );
    const reused = [...second.cells.values()].filter((c) => c !== null && firstArrays.has(c));
    assert.equal(reused.length, 3, "id, s and n reuse the first batch's arrays");
    const cells = (name: string) => [0, 1, 2].map((i) => second.cells.get(name)?.[i]);
    assert.deepEqual(cells('id'), ['d', 'e', undefined]);
    assert.deepEqual(cells('s'), [undefined, 'w', undefined]);
    assert.deepEqual(cells('n'), [4, undefined, undefined]);
  });

  it('rejects a key the table does not have, also after rows of the expected shape', () => {
    const rows: Row[] = [
      { id: 'a', s: 'x' },
      { id: 'b', s: 'y' },
      { id: 'c', s: 'z', typo: 1 },
    ];
    assert.throws(
      () => transposeRows(ALL_TYPES, rows),
      (err: Error) => {
        assert.ok(err instanceof DeltaSchemaError);
        assert.match(err.message, /row 2 \(id=c\): unknown column "typo"/);
        return true;
      },
    );
  });
});
