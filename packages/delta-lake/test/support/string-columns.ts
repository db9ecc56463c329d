import type { EncodedColumn } from '../../src/column-cells';
import { encodeColumn } from '../../src/column-encoder';
import { transposeRows } from '../../src/row-batch';
import { columnDef, type TableDef } from '../../src/schema';

const ONE_STRING: TableDef = { name: 't', keyColumn: 's', partitionColumns: [], columns: [columnDef('s', 'string')] };

/** `values` as the one string column of a table, encoded as the writer does (`plain` forbids a dictionary). */
export function encodeStrings(values: readonly (string | null)[], plain: boolean): EncodedColumn {
  const batch = transposeRows(
    ONE_STRING,
    values.map((s) => ({ s })),
  );
  return encodeColumn(batch, ONE_STRING.columns[0]!, Array.from(values.keys()), plain);
}
