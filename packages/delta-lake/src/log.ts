import type { DeltaStore } from './store';
import { deltaSchemaString, type TableDef } from './schema';
import { checkpointPath, commitPath, lastCheckpointPath, LOG_DIR } from './log-paths';
import { lastCommitFrom, listLog, readCheckpointAt, readCheckpointHint } from './log-probe';

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

/** The newest commit of a table: its version and commitInfo time (null: no table, or no commitInfo timestamp). */
export async function latestCommit(
  store: DeltaStore,
  table: string,
): Promise<{ version: number; timestamp: number | null } | null> {
  const hint = await readCheckpointHint(store, table);
  let version = hint ? await lastCommitFrom(store, table, hint.version) : -1;
  let bytes = version >= 0 ? await store.get(commitPath(table, version)) : undefined;
  if (bytes === undefined) {
    // No usable hint, or no commit at or after it (a hint past the end, or its own commit cleaned up): list.
    const log = await listLog(store, table);
    version = await lastCommitFrom(store, table, Math.max(log.latest, log.checkpoints[0]?.version ?? -1));
    bytes = version >= 0 ? await store.get(commitPath(table, version)) : undefined;
  }
  if (version < 0) return null;
  let timestamp: number | null = null;
  for (const line of (bytes?.toString('utf8') ?? '').split('\n')) {
    if (!line.includes('"commitInfo"')) continue;
    const t = (JSON.parse(line) as { commitInfo?: { timestamp?: unknown } }).commitInfo?.timestamp;
    if (typeof t === 'number') timestamp = t;
  }
  return { version, timestamp };
}

/** A snapshot and how it was found. */
export interface LoadedSnapshot {
  readonly snapshot: Snapshot;
  /** The checkpoint version the snapshot started from, if any. */
  readonly checkpoint: number | undefined;
  /** `_last_checkpoint` exists but is malformed or names a missing or unreadable checkpoint. */
  readonly badHint: boolean;
}

/**
 * Loads the latest snapshot: the checkpoint `_last_checkpoint` names plus the commits after it, read version after
 * version (see advance) until the next is missing; the log is listed only when there is no usable
 * `_last_checkpoint`. Commits older than the checkpoint are never read, so log cleanup may delete them.
 */
export async function loadSnapshot(store: DeltaStore, table: string): Promise<Snapshot> {
  return (await loadSnapshotFrom(store, table)).snapshot;
}

export async function loadSnapshotFrom(store: DeltaStore, table: string): Promise<LoadedSnapshot> {
  const snapshot = new Snapshot();
  const hint = await readCheckpointHint(store, table);
  if (hint) {
    const actions = await readCheckpointAt(store, table, hint.version, hint.parts, hint.sizeInBytes);
    if (actions) {
      snapshot.apply(hint.version, actions);
      await advance(store, table, snapshot);
      return { snapshot, checkpoint: hint.version, badHint: false };
    }
  }
  const badHint = hint !== undefined; // present but malformed (null) or naming an unusable checkpoint
  const log = await listLog(store, table);
  let checkpoint: number | undefined;
  for (const cp of log.checkpoints) {
    const actions = cp.version <= log.latest ? await readCheckpointAt(store, table, cp.version, cp.parts) : undefined;
    if (actions) {
      snapshot.apply(cp.version, actions);
      checkpoint = cp.version;
      break;
    }
  }
  if (checkpoint === undefined && log.oldest > 0)
    throw new Error(`${table}: delta log starts at commit ${log.oldest} and has no readable checkpoint`);
  await advance(store, table, snapshot); // also commits that landed while we listed
  if (snapshot.version < log.latest)
    throw new Error(`${table}: delta log is missing commit ${snapshot.version + 1} (latest is ${log.latest})`);
  return { snapshot, checkpoint, badHint };
}

/** Most commits read at once by `advance` (a reader catching up on a long tail of commits). */
const MAX_READ_AHEAD = 16;

/**
 * Applies every commit after the snapshot's version; calls onCommit for each. Returns how many were read. Reads one
 * commit, then 2, 4, ... up to 16 at once while all are there: the usual refresh (no or one new commit) costs one
 * read, and catching up on n commits takes about n / 16 + 4 round trips instead of n.
 */
export async function advance(
  store: DeltaStore,
  table: string,
  snapshot: Snapshot,
  onCommit?: (version: number, actions: readonly Action[]) => void,
): Promise<number> {
  let read = 0;
  for (let batch = 1; ; batch = Math.min(batch * 2, MAX_READ_AHEAD)) {
    const first = snapshot.version + 1;
    const texts = await Promise.all(Array.from({ length: batch }, (_, i) => store.get(commitPath(table, first + i))));
    for (const text of texts) {
      if (text === undefined) return read; // later ones too: a commit is only written after the one before it
      const version = snapshot.version + 1;
      const actions = snapshot.apply(version, parseCommit(text.toString('utf8')));
      onCommit?.(version, actions);
      read++;
    }
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

/** How many live data files each partition of a snapshot holds (by partitionKeyOf). */
export function filesPerPartition(snapshot: Pick<Snapshot, 'files'>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of snapshot.files.values()) {
    const key = partitionKeyOf(f.partitionValues);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
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
