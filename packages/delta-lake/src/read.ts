import type { DeltaStore } from './store';
import { dataColumnsOf, readDataFile, rowsOfDataFile } from './data-files';
import { loadSnapshot } from './log';
import type { CellValue, ColumnDef, Row, TableDef } from './schema';

/**
 * Every row of the table's latest version, partition columns included (cells typed as `append` takes them,
 * timestamps as bigint micros). For small tables (the pipeline's DLQ archive and audit): it reads every live file.
 * A table that does not exist yet has no rows.
 */
export async function readTable(store: DeltaStore, path: string, def: TableDef): Promise<Row[]> {
  const snapshot = await loadSnapshot(store, path);
  if (snapshot.version < 0) return [];
  const columns = dataColumnsOf(def);
  const partitionColumns = def.columns.filter((c) => def.partitionColumns.includes(c.name));
  const rows: Row[] = [];
  for (const add of snapshot.files.values()) {
    const fileRows = rowsOfDataFile(await readDataFile(store, path, add.path), columns);
    const partition = Object.fromEntries(
      partitionColumns.map((c) => [c.name, partitionCell(c, add.partitionValues[c.name] ?? null)]),
    );
    for (const row of fileRows) rows.push({ ...row, ...partition });
  }
  return rows;
}

/** A partition value as the log spells it (a string, or null) turned back into the column's cell type. */
function partitionCell(col: ColumnDef, value: string | null): CellValue {
  if (value === null) return null;
  switch (col.type) {
    case 'date':
      return new Date(`${value}T00:00:00Z`);
    case 'long':
      return BigInt(value);
    case 'integer':
    case 'double':
      return Number(value);
    case 'boolean':
      return value === 'true';
    default:
      return value;
  }
}
