import type { ObjectStore } from '../storage/object-store';
import { dataColumnsOf, partitionValuesAt, writeDataFile } from './data-files';
import { partitionKeyOf, type AddAction } from './log';
import type { NormalValue, TableDef } from './schema';

/** A data file written for an append, not yet committed: its add action, partition and row keys. */
export interface PreparedFile {
  readonly add: AddAction;
  readonly partition: string;
  readonly keys: readonly string[];
}

type Columns = ReadonlyMap<string, readonly NormalValue[]>;

/** The partition key of every row; computed once per distinct combination of partition values. */
export function partitionKeysOfRows(def: TableDef, columns: Columns, count: number): string[] {
  const partitionColumns = def.partitionColumns.map((c) => columns.get(c)!);
  const cache = new Map<string, string>();
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const raw = partitionColumns.map((values) => String(values[i])).join('\u0000');
    let key = cache.get(raw);
    if (key === undefined) {
      key = partitionKeyOf(partitionValuesAt(def, columns, i));
      cache.set(raw, key);
    }
    out[i] = key;
  }
  return out;
}

/**
 * One Parquet file per partition for the rows `fresh` (indexes into `columns`). `prepared` keeps the files of
 * earlier attempts by the signature of their row set, so a commit retried with the same rows reuses its files.
 */
export async function prepareFiles(
  store: ObjectStore,
  tablePath: string,
  def: TableDef,
  rows: { columns: Columns; fresh: readonly number[]; partOf: readonly string[]; keyOf: readonly string[] },
  prepared: Map<string, PreparedFile>,
): Promise<PreparedFile[]> {
  const { columns, fresh, partOf, keyOf } = rows;
  const byPartition = new Map<string, number[]>();
  for (const i of fresh) {
    const list = byPartition.get(partOf[i]);
    if (list) list.push(i);
    else byPartition.set(partOf[i], [i]);
  }
  const out: PreparedFile[] = [];
  for (const [partition, indexes] of byPartition) {
    const signature = `${partition}\n${indexes.map((i) => keyOf[i]).join('\n')}`;
    let file = prepared.get(signature);
    if (!file) {
      const subset = new Map(dataColumnsOf(def).map((c) => [c.name, indexes.map((i) => columns.get(c.name)![i])]));
      const partitionValues = partitionValuesAt(def, columns, indexes[0]);
      const add = await writeDataFile(store, tablePath, def, subset, partitionValues, indexes.length, true);
      file = { partition, keys: indexes.map((i) => keyOf[i]), add };
      prepared.set(signature, file);
    }
    out.push(file);
  }
  return out;
}
