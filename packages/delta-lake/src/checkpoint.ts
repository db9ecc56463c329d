import * as arrow from 'apache-arrow';
import { readParquetFile, writeParquetTable } from './parquet-thread';
import type { DeltaStore } from './store';
import type { Action, Snapshot } from './log';
import { checkpointPath, lastCheckpointPath } from './log-paths';
import { expireTombstones } from './retention';

/**
 * Single-part Parquet checkpoints: one row per action of the reconciled state (protocol, metaData, live adds,
 * tombstones, txns; never commitInfo), in the struct-column layout of the Delta protocol.
 */
const str = () => new arrow.Utf8();
const i64 = () => new arrow.Int64();
const field = (name: string, type: arrow.DataType, nullable = true) => new arrow.Field(name, type, nullable);
const stringMap = () =>
  new arrow.Map_(
    new arrow.Field(
      'key_value',
      new arrow.Struct<{ key: arrow.Utf8; value: arrow.Utf8 }>([
        new arrow.Field('key', str(), false),
        new arrow.Field('value', str(), true),
      ]),
      false,
    ),
  );

const CHECKPOINT_COLUMNS = {
  txn: new arrow.Struct([field('appId', str()), field('version', i64()), field('lastUpdated', i64())]),
  add: new arrow.Struct([
    field('path', str()),
    field('partitionValues', stringMap()),
    field('size', i64()),
    field('modificationTime', i64()),
    field('dataChange', new arrow.Bool()),
    field('stats', str()),
    field('tags', stringMap()),
  ]),
  remove: new arrow.Struct([
    field('path', str()),
    field('deletionTimestamp', i64()),
    field('dataChange', new arrow.Bool()),
    field('extendedFileMetadata', new arrow.Bool()),
    field('partitionValues', stringMap()),
    field('size', i64()),
  ]),
  metaData: new arrow.Struct([
    field('id', str()),
    field('name', str()),
    field('description', str()),
    field('format', new arrow.Struct([field('provider', str()), field('options', stringMap())])),
    field('schemaString', str()),
    field('partitionColumns', new arrow.List(field('element', str()))),
    field('configuration', stringMap()),
    field('createdTime', i64()),
  ]),
  protocol: new arrow.Struct([
    field('minReaderVersion', new arrow.Int32()),
    field('minWriterVersion', new arrow.Int32()),
  ]),
} as const;
type Column = keyof typeof CHECKPOINT_COLUMNS;

const toMap = (o: Record<string, string | null> | null | undefined) => (o ? new Map(Object.entries(o)) : null);
const big = (n: number | null | undefined) => (n === null || n === undefined ? null : BigInt(n));

/** The actions a checkpoint of `snapshot` holds, in checkpoint order. */
export function checkpointActions(snapshot: Snapshot): Action[] {
  if (!snapshot.protocol || !snapshot.metaData) throw new Error('cannot checkpoint a table without protocol/metaData');
  return [
    { protocol: snapshot.protocol },
    { metaData: snapshot.metaData },
    ...[...snapshot.txns.values()].map((txn) => ({ txn })),
    ...[...snapshot.files.values()].map((add) => ({ add })),
    ...expireTombstones(snapshot).map((remove) => ({ remove })),
  ];
}

/**
 * One column's Arrow vector (here, not in parquet.ts: loading parquet.ts instantiates parquet-wasm, which only the
 * Parquet thread needs; in the writer's thread it held ~13 MB for nothing).
 */
function buildVector(type: arrow.DataType, values: readonly unknown[]): arrow.Vector {
  const builder = arrow.makeBuilder({ type, nullValues: [null, undefined] });
  for (const v of values) builder.append(v as never);
  return builder.finish().toVector();
}

export function writeCheckpoint(actions: readonly Action[]): Promise<Uint8Array> {
  const rows: Record<Column, unknown[]> = { txn: [], add: [], remove: [], metaData: [], protocol: [] };
  for (const a of actions) {
    for (const col of Object.keys(rows) as Column[]) rows[col].push(col in a ? toCheckpointValue(a) : null);
  }
  const vectors = Object.fromEntries(
    (Object.keys(CHECKPOINT_COLUMNS) as Column[]).map((c) => [c, buildVector(CHECKPOINT_COLUMNS[c], rows[c])]),
  );
  return writeParquetTable(new arrow.Table(vectors));
}

function toCheckpointValue(a: Action): unknown {
  if ('txn' in a) return { ...a.txn, version: big(a.txn.version), lastUpdated: big(a.txn.lastUpdated) };
  if ('add' in a) {
    const { add } = a;
    return {
      path: add.path,
      partitionValues: toMap(add.partitionValues),
      size: big(add.size),
      modificationTime: big(add.modificationTime),
      dataChange: add.dataChange,
      stats: add.stats ?? null,
      tags: toMap(add.tags),
    };
  }
  if ('remove' in a) {
    const { remove } = a;
    return {
      path: remove.path,
      deletionTimestamp: big(remove.deletionTimestamp),
      dataChange: remove.dataChange,
      extendedFileMetadata: remove.extendedFileMetadata ?? null,
      partitionValues: toMap(remove.partitionValues),
      size: big(remove.size),
    };
  }
  if ('metaData' in a) {
    const m = a.metaData;
    return {
      id: m.id,
      name: m.name ?? null,
      description: m.description ?? null,
      format: { provider: m.format.provider, options: toMap(m.format.options) ?? new Map() },
      schemaString: m.schemaString,
      partitionColumns: m.partitionColumns,
      configuration: toMap(m.configuration) ?? new Map(),
      createdTime: big(m.createdTime),
    };
  }
  if ('protocol' in a) return a.protocol;
  throw new Error('commitInfo does not belong in a checkpoint');
}

/** Reads a checkpoint (ours or another writer's) back into actions. */
export async function readCheckpoint(bytes: Uint8Array): Promise<Action[]> {
  const table = await readParquetFile(bytes);
  const actions: Action[] = [];
  const names = (Object.keys(CHECKPOINT_COLUMNS) as Column[]).filter((c) => table.getChild(c) !== null);
  for (let i = 0; i < table.numRows; i++) {
    for (const name of names) {
      const value = table.getChild(name)!.get(i);
      if (value !== null && value !== undefined) actions.push({ [name]: plain(value) } as unknown as Action);
    }
  }
  return actions;
}

/** Converts Arrow rows (struct/map proxies), lists and bigints into plain JSON-like values. */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof arrow.Vector) return [...v].map(plain);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    const toJSON = (v as { toJSON?: () => unknown }).toJSON;
    const json = typeof toJSON === 'function' ? toJSON.call(v) : v;
    if (json === v) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return plain(json);
  }
  return v;
}

/** Writes a checkpoint of the snapshot's version and points _last_checkpoint at it. */
export async function writeTableCheckpoint(store: DeltaStore, table: string, snapshot: Snapshot): Promise<void> {
  const actions = checkpointActions(snapshot);
  const bytes = await writeCheckpoint(actions);
  await store.put(checkpointPath(table, snapshot.version), bytes);
  const hint = { version: snapshot.version, size: actions.length, sizeInBytes: bytes.byteLength };
  // Never point _last_checkpoint back at an older checkpoint (a slow writer's): log cleanup may already have
  // deleted the commits right after it, and a reader starting there would stop early.
  if (newestHinted(await store.get(lastCheckpointPath(table))) >= snapshot.version) return;
  await store.put(
    lastCheckpointPath(table),
    Buffer.from(JSON.stringify({ ...hint, numOfAddFiles: snapshot.files.size })),
  );
}

function newestHinted(bytes: Buffer | undefined): number {
  try {
    const v = bytes ? Number((JSON.parse(bytes.toString('utf8')) as { version?: unknown }).version) : NaN;
    return Number.isInteger(v) ? v : -1;
  } catch {
    return -1; // a malformed hint is replaced
  }
}
