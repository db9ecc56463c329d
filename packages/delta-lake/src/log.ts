import type { DeltaStore } from './store';
import { readCheckpoint } from './checkpoint';
import { deltaSchemaString, type TableDef } from './schema';
import { checkpointPath, commitPath, lastCheckpointPath, LOG_DIR } from './log-paths';

/** Delta log actions (delta-io/delta PROTOCOL.md), the subset a reader-1 / writer-2 table uses. */
export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
}
export interface MetaData {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}
export interface AddAction {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  stats?: string | null;
  tags?: Record<string, string> | null;
}
export interface RemoveAction {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: Record<string, string | null> | null;
  size?: number | null;
}
export interface Txn {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}
export type CommitInfo = Record<string, unknown>;

export type Action =
  | { protocol: Protocol }
  | { metaData: MetaData }
  | { add: AddAction }
  | { remove: RemoveAction }
  | { txn: Txn }
  | { commitInfo: CommitInfo };

export { checkpointPath, commitPath, lastCheckpointPath, LOG_DIR };

/** The table state at one version: what a reader sees. */
export class Snapshot {
  version = -1;
  protocol: Protocol | undefined;
  metaData: MetaData | undefined;
  readonly files = new Map<string, AddAction>();
  readonly tombstones = new Map<string, RemoveAction>();
  readonly txns = new Map<string, Txn>();

  /** Applies one commit's actions; returns them for callers that track changes (e.g. the key index). */
  apply(version: number, actions: readonly Action[]): readonly Action[] {
    for (const a of actions) {
      if ('protocol' in a) this.protocol = a.protocol;
      else if ('metaData' in a) this.metaData = a.metaData;
      else if ('add' in a) {
        this.files.set(a.add.path, a.add);
        this.tombstones.delete(a.add.path);
      } else if ('remove' in a) {
        this.files.delete(a.remove.path);
        this.tombstones.set(a.remove.path, a.remove);
      } else if ('txn' in a) this.txns.set(a.txn.appId, a.txn);
    }
    this.version = version;
    return actions;
  }
}

export function parseCommit(text: string): Action[] {
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Action);
}

export function serialiseCommit(actions: readonly Action[]): Buffer {
  return Buffer.from(actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
}

const COMMIT_RE = /^(\d{20})\.json$/;
const CHECKPOINT_RE = /^(\d{20})\.checkpoint\.parquet$/;

/** Loads the latest snapshot: newest checkpoint (via _last_checkpoint or the listing) plus later commits. */
/** The newest commit of a table: its version and commitInfo time (null: no table, or no commitInfo timestamp). */
export async function latestCommit(
  store: DeltaStore,
  table: string,
): Promise<{ version: number; timestamp: number | null } | null> {
  const versions = (await store.list(`${table}/${LOG_DIR}`))
    .map((n) => COMMIT_RE.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  if (versions.length === 0) return null;
  const version = Math.max(...versions);
  const bytes = await store.get(commitPath(table, version));
  let timestamp: number | null = null;
  for (const line of (bytes?.toString('utf8') ?? '').split('\n')) {
    if (!line.includes('"commitInfo"')) continue;
    const t = (JSON.parse(line) as { commitInfo?: { timestamp?: unknown } }).commitInfo?.timestamp;
    if (typeof t === 'number') timestamp = t;
  }
  return { version, timestamp };
}

export async function loadSnapshot(store: DeltaStore, table: string): Promise<Snapshot> {
  const names = await store.list(`${table}/${LOG_DIR}`);
  const commits = names
    .map((n) => COMMIT_RE.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  const checkpoints = names
    .map((n) => CHECKPOINT_RE.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]));
  const snapshot = new Snapshot();
  let from = 0;
  const cp = await latestCheckpoint(store, table, checkpoints);
  if (cp !== undefined) {
    const bytes = await store.get(checkpointPath(table, cp));
    if (bytes) {
      snapshot.apply(cp, readCheckpoint(bytes));
      from = cp + 1;
    }
  }
  const latest = commits.length > 0 ? Math.max(...commits) : -1;
  for (let v = from; v <= latest; v++) {
    const text = await store.get(commitPath(table, v));
    if (text === undefined) throw new Error(`${table}: delta log is missing commit ${v} (latest is ${latest})`);
    snapshot.apply(v, parseCommit(text.toString('utf8')));
  }
  await advance(store, table, snapshot); // commits that landed while we listed
  return snapshot;
}

async function latestCheckpoint(store: DeltaStore, table: string, listed: number[]): Promise<number | undefined> {
  const hint = await store.get(lastCheckpointPath(table));
  if (hint) {
    const version = Number((JSON.parse(hint.toString('utf8')) as { version: number }).version);
    if (Number.isInteger(version) && listed.includes(version)) return version;
  }
  return listed.length > 0 ? Math.max(...listed) : undefined;
}

/** Applies every commit after the snapshot's version; calls onCommit for each. Returns how many were read. */
export async function advance(
  store: DeltaStore,
  table: string,
  snapshot: Snapshot,
  onCommit?: (version: number, actions: readonly Action[]) => void,
): Promise<number> {
  let read = 0;
  for (;;) {
    const next = snapshot.version + 1;
    const text = await store.get(commitPath(table, next));
    if (text === undefined) return read;
    const actions = snapshot.apply(next, parseCommit(text.toString('utf8')));
    onCommit?.(next, actions);
    read++;
  }
}

/** One string per partition (its values in column order), for grouping files and rows by partition. */
export function partitionKeyOf(values: Readonly<Record<string, string | null>>): string {
  return JSON.stringify(
    Object.keys(values)
      .sort()
      .map((k) => [k, values[k]]),
  );
}

export const ENGINE_INFO = 'kafka-pipeline-delta-writer/0.1';

export function commitInfo(operation: string, operationParameters: Record<string, string>): CommitInfo {
  return { timestamp: Date.now(), operation, operationParameters, engineInfo: ENGINE_INFO, isBlindAppend: true };
}

/** Version 0 of a new table: reader 1 / writer 2 protocol and the table's metaData. */
export function createTableActions(def: TableDef, id: string): Action[] {
  return [
    { commitInfo: commitInfo('CREATE TABLE', { partitionBy: JSON.stringify(def.partitionColumns) }) },
    { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
    {
      metaData: {
        id,
        name: def.name,
        format: { provider: 'parquet', options: {} },
        schemaString: deltaSchemaString(def),
        partitionColumns: [...def.partitionColumns],
        configuration: {},
        createdTime: Date.now(),
      },
    },
  ];
}

/** A compaction commit: the replaced files removed and the new ones added, neither a data change. */
export function rewriteActions(
  replaced: readonly AddAction[],
  added: readonly AddAction[],
  operationParameters: Record<string, string>,
): Action[] {
  const now = Date.now();
  return [
    { commitInfo: { ...commitInfo('OPTIMIZE', operationParameters), isBlindAppend: false } },
    ...replaced.map((f) => ({
      remove: {
        path: f.path,
        deletionTimestamp: now,
        dataChange: false,
        extendedFileMetadata: true,
        partitionValues: f.partitionValues,
        size: f.size,
      },
    })),
    ...added.map((add) => ({ add: { ...add, dataChange: false } })),
  ];
}
