import type { DeltaStore } from './store';
import { dataColumnsOf, deleteFiles, encodeDataFile, putDataFile, readDataFile, rowsOfDataFile } from './data-files';
import { type Action, type AddAction, commitInfo, partitionKeyOf } from './log';
import { transposeRows } from './row-batch';
import type { CellValue, ColumnDef, Row, TableDef } from './schema';
import type { DeltaTable } from './table';

export interface MergeOptions {
  /** The column that orders versions of a row (a timestamp, e.g. the source event's time): the later one wins. */
  readonly orderColumn: string;
  /** Columns an update keeps from the row it updates (e.g. created_at), filled only when that row has none. */
  readonly keepColumns?: readonly string[];
  /** Bookkeeping columns (e.g. updated_at): a merge that would change only these leaves the row as it is. */
  readonly untrackedColumns?: readonly string[];
  /**
   * A string column in which the merge records, per column, the order value its current value came from (JSON).
   * With it every column holds the value of the latest row that carried it, whatever order rows arrive in; without
   * it an earlier row only fills empty columns (which depends on arrival order when several earlier rows disagree).
   */
  readonly versionsColumn?: string;
}

export interface MergeResult {
  readonly version: number | null;
  readonly inserted: readonly string[];
  readonly updated: readonly string[];
  /** Keys whose row the merge would not change (e.g. the same event again). */
  readonly unchanged: readonly string[];
}

/**
 * Upserts rows by the table's key column (Delta MERGE, copy-on-write): a key the table lacks is inserted; a key it
 * has is updated column by column — a row of a later `orderColumn` sets every column it carries (undefined = not
 * carried, null = empty), an earlier one only fills columns still empty — so the result does not depend on the
 * order rows arrive in, and the same row twice changes nothing. Files holding updated keys (found through their key
 * column statistics) are rewritten in the same commit, so readers see exactly one row per key at every version.
 * Concurrent writers: on losing the race for a version the merge is planned again on the newer table. An updated
 * row stays in the partition it was first written to.
 */
export async function mergeRows(
  store: DeltaStore,
  table: DeltaTable,
  rows: readonly Row[],
  opts: MergeOptions,
): Promise<MergeResult> {
  const def = table.def;
  const column = (name: string): ColumnDef => {
    const c = def.columns.find((x) => x.name === name);
    if (!c) throw new Error(`${def.name}: no column ${name}`);
    return c;
  };
  const keyColumn = column(def.keyColumn);
  const order = column(opts.orderColumn);
  transposeRows(def, rows); // schema errors before anything is read or written
  const incoming = new Map<string, Row>();
  for (const row of rows) {
    const key = keyText(row[def.keyColumn]);
    if (key === null) throw new Error(`${def.name}: a row has no ${def.keyColumn}`);
    // Folded over an empty row first, so a row's versions column is stamped even when it is inserted.
    incoming.set(key, combine(incoming.get(key) ?? {}, row, order, opts));
  }
  const { version, result } = await table.transact(async (files) => {
    const plan = await planMerge(store, table, files, incoming, keyColumn, order, opts);
    if (plan.changedFiles.length === 0 && plan.inserted.length === 0 && plan.updated.length === 0) {
      return null; // nothing to write
    }
    const written: AddAction[] = [];
    const discard = () => deleteFiles(store, table.path, written);
    try {
      for (const part of plan.partitions.values()) {
        const file = await encodeDataFile(transposeRows(def, part.rows));
        written.push(await putDataFile(store, table.path, def, file, part.values, true));
      }
    } catch (err) {
      await discard();
      throw err;
    }
    const now = Date.now();
    const actions: Action[] = [
      {
        commitInfo: {
          ...commitInfo('MERGE', { predicate: `target.${def.keyColumn} = source.${def.keyColumn}` }),
          isBlindAppend: false,
        },
      },
      ...plan.changedFiles.map((f) => ({
        remove: {
          path: f.path,
          deletionTimestamp: now,
          dataChange: true,
          extendedFileMetadata: true,
          partitionValues: f.partitionValues,
          size: f.size,
        },
      })),
      ...written.map((add) => ({ add })),
    ];
    return { actions, result: plan, discard };
  });
  const written = new Set([...(result?.inserted ?? []), ...(result?.updated ?? [])]);
  const unchanged = [...incoming.keys()].filter((k) => !written.has(k));
  return {
    version,
    inserted: result?.inserted ?? [],
    updated: result?.updated ?? [],
    unchanged,
  };
}

interface MergePlan {
  readonly inserted: string[];
  readonly updated: string[];
  /** Files holding a key whose row changes: removed, their other rows written again. */
  readonly changedFiles: AddAction[];
  /** Rows to write, per partition. */
  readonly partitions: Map<string, { values: Record<string, string | null>; rows: Row[] }>;
}

async function planMerge(
  store: DeltaStore,
  table: DeltaTable,
  files: ReadonlyMap<string, AddAction>,
  incoming: ReadonlyMap<string, Row>,
  keyColumn: ColumnDef,
  order: ColumnDef,
  opts: MergeOptions,
): Promise<MergePlan> {
  const def = table.def;
  const plan: MergePlan = { inserted: [], updated: [], changedFiles: [], partitions: new Map() };
  const out = (values: Record<string, string | null>) => {
    const key = partitionKeyOf(values);
    let part = plan.partitions.get(key);
    if (!part) plan.partitions.set(key, (part = { values, rows: [] }));
    return part.rows;
  };
  const incomingPartition = (row: Row) =>
    Object.fromEntries(
      def.partitionColumns.map((c) => [c, row[c] === null || row[c] === undefined ? null : String(row[c])]),
    );
  const found = new Set<string>();
  const columns = dataColumnsOf(def);
  for (const f of files.values()) {
    if (!mayHoldAny(f, keyColumn, incoming)) continue;
    const fileRows = rowsOfDataFile(await readDataFile(store, table.path, f.path), columns).map((r) => ({
      ...r,
      ...f.partitionValues,
    }));
    const replaced: Row[] = [];
    let changed = false;
    for (const existing of fileRows) {
      const key = keyText(existing[def.keyColumn])!;
      const row = incoming.get(key);
      if (!row) {
        replaced.push(existing);
        continue;
      }
      found.add(key);
      const merged = combine(existing, row, order, opts);
      if (sameRow(def, existing, merged, opts.untrackedColumns ?? [])) replaced.push(existing);
      else {
        changed = true;
        plan.updated.push(key);
        replaced.push(merged);
      }
    }
    if (changed) {
      plan.changedFiles.push(f);
      const rows = out(f.partitionValues);
      for (const row of replaced) rows.push(row);
    }
  }
  for (const [key, row] of incoming) {
    if (found.has(key)) continue;
    plan.inserted.push(key);
    out(incomingPartition(row)).push(row);
  }
  return plan;
}

/** Key column statistics say the file may hold one of the keys (no statistics: it may). */
function mayHoldAny(f: AddAction, keyColumn: ColumnDef, keys: ReadonlyMap<string, Row>): boolean {
  if (!f.stats) return true;
  const stats = JSON.parse(f.stats) as { minValues?: Record<string, unknown>; maxValues?: Record<string, unknown> };
  const min = stats.minValues?.[keyColumn.name];
  const max = stats.maxValues?.[keyColumn.name];
  if (min === undefined || max === undefined || min === null || max === null) return true;
  const numeric = keyColumn.type === 'long' || keyColumn.type === 'integer';
  for (const key of keys.keys()) {
    const inRange = numeric
      ? Number(key) >= Number(min) && Number(key) <= Number(max)
      : key >= String(min) && key <= String(max);
    if (inRange) return true;
  }
  return false;
}

/** `incoming` applied to `existing` by the merge rule (see mergeRows). */
function combine(existing: Row, incoming: Row, order: ColumnDef, opts: MergeOptions): Row {
  const existingOrder = orderOf(order, existing[order.name]);
  const incomingOrder = orderOf(order, incoming[order.name]);
  const out: Record<string, CellValue> = { ...existing };
  const versions = opts.versionsColumn ? versionsOf(existing[opts.versionsColumn]) : null;
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name === opts.versionsColumn || name === order.name) continue;
    const empty = out[name] === null || out[name] === undefined;
    if (opts.keepColumns?.includes(name)) {
      if (empty) out[name] = value;
    } else if (versions) {
      // Equal orders: the arriving row wins (the same row again writes the same value).
      const since = versions[name] ?? (empty ? -Infinity : existingOrder);
      if (incomingOrder >= since) {
        out[name] = value;
        versions[name] = incomingOrder;
      }
    } else if (incomingOrder >= existingOrder || empty) out[name] = value;
  }
  out[order.name] = incomingOrder >= existingOrder ? incoming[order.name] : existing[order.name];
  if (versions && opts.versionsColumn) out[opts.versionsColumn] = JSON.stringify(sortedObject(versions));
  return out;
}

/** The versions column of a row; {} for a row written without one. */
function versionsOf(v: CellValue): Record<string, number> {
  if (typeof v !== 'string' || v === '') return {};
  try {
    const parsed = JSON.parse(v) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

const sortedObject = (o: Record<string, number>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** A row's order value in microseconds (timestamps), or the value itself. */
function orderOf(col: ColumnDef, v: CellValue): number {
  if (v === null || v === undefined) return -Infinity;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime() * 1000;
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    const micros = /\.\d{3}(\d{1,3})/.exec(v)?.[1]?.padEnd(3, '0') ?? '000';
    return col.type === 'timestamp' || col.type === 'date' ? ms * 1000 + Number(micros) : Number(v);
  }
  return typeof v === 'number' ? (col.type === 'timestamp' ? v * 1000 : v) : Number(v);
}

function sameRow(def: TableDef, a: Row, b: Row, untracked: readonly string[]): boolean {
  return def.columns.every((c) => untracked.includes(c.name) || normal(c, a[c.name]) === normal(c, b[c.name]));
}

/** A cell as comparable text: timestamps in microseconds, dates as days, longs as integers. */
function normal(col: ColumnDef, v: CellValue): string {
  if (v === null || v === undefined) return 'null';
  if (col.type === 'timestamp') return String(orderOf(col, v));
  if (col.type === 'date') return (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10);
  if (col.type === 'long' || col.type === 'integer') return String(typeof v === 'bigint' ? v : Number(v));
  return JSON.stringify(v);
}

function keyText(v: CellValue): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'bigint' || typeof v === 'number' ? String(v) : v instanceof Date ? v.toISOString() : String(v);
}
