import { type CellValue, type Row, type TableDef, rowError } from './schema';

/**
 * The rows of one append, transposed into columns once: `cells.get(name)[i]` is row i's cell of that column.
 * Reading `row[name]` with a changing `name` is a megamorphic property load (30-50 ns per cell in V8, a third of
 * a 100k-row append of the event table); `Object.values` per row reads all cells in one call, and rows built by
 * one function share their key order, so the column of each position is worked out once per key order.
 */
export interface RowBatch {
  readonly def: TableDef;
  readonly rows: readonly Row[];
  /** Per column its cells, or null when no row has the column (all null). */
  readonly cells: ReadonlyMap<string, readonly CellValue[] | null>;
}

/**
 * Column arrays kept from one append to the next, emptied. A new array of 100k cells is fresh memory the system
 * has to map and zero (13 of them took ~6 ms of a 100k-row append); emptying a used one is ~0.1 ms. At most
 * MAX_CELLS cells are kept (16 MB): enough for the columns of a 100k-row batch.
 */
export class ColumnArrays {
  private static readonly MAX_CELLS = 1 << 21;
  private readonly free: CellValue[][] = [];
  private cells = 0;

  /** An array of at least n cells, all undefined. */
  take(n: number): CellValue[] {
    const kept = this.free.pop();
    if (kept !== undefined) {
      this.cells -= kept.length;
      if (kept.length >= n) return kept;
    }
    return new Array<CellValue>(n); // holes read as undefined
  }

  /** Takes back the batch's arrays once nothing reads its cells any more. */
  release(batch: RowBatch): void {
    for (const cells of batch.cells.values()) {
      if (cells === null || this.cells + cells.length > ColumnArrays.MAX_CELLS) continue;
      const array = cells as CellValue[];
      array.fill(undefined, 0, batch.rows.length); // no row values kept alive, none seen by the next batch
      this.free.push(array);
      this.cells += array.length;
    }
  }
}

/**
 * Transposes rows (into `arrays` when given); a row naming a column the table does not have is a DeltaSchemaError.
 */
export function transposeRows(def: TableDef, rows: readonly Row[], arrays?: ColumnArrays): RowBatch {
  const n = rows.length;
  const slotOf = new Map(def.columns.map((c, k) => [c.name, k]));
  const columns: (CellValue[] | null)[] = def.columns.map(() => null);
  let keys: string[] = [];
  let slots: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows[i]!; // i < n: a row (a hot loop: no iterator)
    const rowKeys = Object.keys(row);
    if (!sameItems(rowKeys, keys)) {
      keys = rowKeys;
      slots = rowKeys.map((k) => {
        const slot = slotOf.get(k);
        if (slot === undefined) throw rowError(def, row, i, `unknown column "${k}"`);
        columns[slot] ??= arrays?.take(n) ?? new Array<CellValue>(n); // holes read as undefined (absent cells)
        return slot;
      });
    }
    const values = Object.values(row);
    for (let k = 0; k < values.length; k++) columns[slots[k]!]![i] = values[k];
  }
  return { def, rows, cells: new Map(def.columns.map((c, k) => [c.name, columns[k] ?? null])) };
}

/** Whether two arrays hold the same items in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
