/** Delta table schemas: column types, the Delta schema string, and row validation with errors naming the column. */
export type DeltaType = 'string' | 'long' | 'integer' | 'double' | 'boolean' | 'timestamp' | 'date';

export interface ColumnDef {
  readonly name: string;
  readonly type: DeltaType;
  readonly nullable: boolean;
}

/** A column definition: a nullable string unless said otherwise. */
export const columnDef = (name: string, type: DeltaType = 'string', nullable = true): ColumnDef => ({
  name,
  type,
  nullable,
});

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly partitionColumns: readonly string[];
  /** Column whose value identifies a row; the writer never commits the same key twice. */
  readonly keyColumn: string;
}

/**
 * A cell as callers give it: strings; numbers (integer, double, long); bigint (long, or a timestamp in epoch
 * microseconds); booleans; timestamps and dates as Date or ISO-8601 string ('YYYY-MM-DD' for dates); null.
 */
export type CellValue = string | number | bigint | boolean | Date | null | undefined;
export type Row = Readonly<Record<string, CellValue>>;

export class DeltaSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaSchemaError';
  }
}

export function deltaSchemaString(def: TableDef): string {
  return JSON.stringify({
    type: 'struct',
    fields: def.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, metadata: {} })),
  });
}

export function parseSchemaString(schemaString: string): ColumnDef[] {
  const parsed = JSON.parse(schemaString) as { fields: { name: string; type: unknown; nullable: boolean }[] };
  return parsed.fields.map((f) => ({ name: f.name, type: f.type as DeltaType, nullable: f.nullable }));
}

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Normalised cell: strings, numbers (ms for timestamps, days for dates), bigint for long, boolean, or null. */
export type NormalValue = string | number | bigint | boolean | null;

/** Checks a value against a column type and returns its normal form, or a problem description. */
function normalise(col: ColumnDef, value: CellValue): NormalValue | { problem: string } {
  if (value === null || value === undefined) {
    return col.nullable ? null : { problem: 'is required (not nullable)' };
  }
  const bad = BAD; // described by describeBad() only when a row is actually rejected
  switch (col.type) {
    case 'string':
      return typeof value === 'string' ? value : bad;
    case 'boolean':
      return typeof value === 'boolean' ? value : bad;
    case 'double':
      return typeof value === 'number' && !Number.isNaN(value) ? value : bad;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? value : bad;
    case 'long':
      if (typeof value === 'bigint') return BigInt.asIntN(64, value) === value ? value : bad;
      return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : bad;
    case 'timestamp': {
      if (typeof value === 'bigint') return BigInt.asIntN(64, value) === value ? Number(value) / 1000 : bad; // micros
      const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isFinite(ms) ? ms : bad;
    }
    case 'date': {
      if (value instanceof Date && Number.isFinite(value.getTime())) return Math.floor(value.getTime() / DAY_MS);
      if (typeof value === 'string' && DATE_RE.test(value) && Number.isFinite(Date.parse(`${value}T00:00:00Z`))) {
        return Date.parse(`${value}T00:00:00Z`) / DAY_MS;
      }
      return bad;
    }
  }
}

const BAD = { problem: '' };

function describeBad(col: ColumnDef, value: CellValue): string {
  const got = value instanceof Date ? 'Date' : typeof value;
  return `expected ${col.type}, got ${got} ${JSON.stringify(String(value)).slice(0, 60)}`;
}

/**
 * Checks one cell against its column and returns its normal form; a bad cell is a DeltaSchemaError naming the
 * table, the row (index in the batch and key) and the column.
 */
export function checkCell(def: TableDef, col: ColumnDef, row: Row, index: number, raw: CellValue): NormalValue {
  const v = normalise(col, raw);
  if (v !== null && typeof v === 'object') {
    const problem = v === BAD ? describeBad(col, raw) : v.problem;
    throw rowError(def, row, index, `column "${col.name}" ${problem}`);
  }
  return v;
}

export function rowError(def: TableDef, row: Row, index: number, what: string): DeltaSchemaError {
  const key = row[def.keyColumn];
  return new DeltaSchemaError(`${def.name}: row ${index} (${def.keyColumn}=${String(key)}): ${what}`);
}

/** Delta partition value serialisation: dates as YYYY-MM-DD, everything else as its string form. */
export function partitionValueString(type: DeltaType, v: NormalValue): string | null {
  if (v === null) return null;
  if (type === 'date') return new Date(Number(v) * DAY_MS).toISOString().slice(0, 10);
  if (type === 'timestamp') return new Date(Number(v)).toISOString().replace('T', ' ').replace('Z', '');
  return String(v);
}

/** Checks that an existing table's schema can take our rows: every column of ours, same type. */
export function assertCompatible(
  def: TableDef,
  existing: readonly ColumnDef[],
  partitionColumns: readonly string[],
): void {
  const byName = new Map(existing.map((c) => [c.name, c]));
  const problems: string[] = [];
  for (const col of def.columns) {
    const found = byName.get(col.name);
    if (!found) problems.push(`column "${col.name}" is missing from the table`);
    else if (found.type !== col.type)
      problems.push(`column "${col.name}" is ${String(found.type)} in the table, ${col.type} here`);
  }
  for (const c of existing) {
    if (!def.columns.some((d) => d.name === c.name) && !c.nullable)
      problems.push(`table column "${c.name}" is required but unknown here`);
  }
  if (partitionColumns.join(',') !== def.partitionColumns.join(',')) {
    problems.push(`partitioned by [${partitionColumns.join(', ')}], expected [${def.partitionColumns.join(', ')}]`);
  }
  if (problems.length > 0)
    throw new DeltaSchemaError(`${def.name}: existing table does not fit: ${problems.join('; ')}`);
}
