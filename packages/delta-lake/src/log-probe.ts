import type { DeltaStore } from './store';
import { readCheckpoint } from './checkpoint';
import { checkpointPartPath, checkpointPath, commitPath, lastCheckpointPath, LOG_DIR } from './log-paths';
import type { Action } from './log';

/**
 * Finding the end of a Delta log without listing it: `_last_checkpoint` names a recent checkpoint, and commits
 * after it are found by reading version after version (a commit exists for every version up to the latest, so
 * existence is a prefix and can be searched). A listing of `_delta_log` is the fallback for a table without a
 * usable `_last_checkpoint` (a new table, another writer's table, a damaged hint): on OneLake a listing returns
 * 5,000 names per request, so listing a log of 300,000 files is 60 requests, against 2-3 reads here.
 */

/** `_last_checkpoint` (delta-io/delta PROTOCOL.md, "Last Checkpoint File"): version and size are required. */
export interface CheckpointHint {
  readonly version: number;
  readonly size: number;
  /** Set for a multi-part checkpoint. */
  readonly parts?: number;
  readonly sizeInBytes?: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The parsed `_last_checkpoint`: undefined when absent, null when it is not one the protocol allows. */
export async function readCheckpointHint(store: DeltaStore, table: string): Promise<CheckpointHint | null | undefined> {
  const bytes = await store.get(lastCheckpointPath(table));
  if (bytes === undefined) return undefined;
  let hint: Record<string, unknown>;
  try {
    hint = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null; // a torn or foreign file: the listing decides
  }
  if (typeof hint !== 'object' || hint === null || !isCount(hint.version) || !isCount(hint.size)) return null;
  if (hint.parts !== undefined && hint.parts !== null && !(isCount(hint.parts) && hint.parts >= 1)) return null;
  if (hint.sizeInBytes !== undefined && hint.sizeInBytes !== null && !isCount(hint.sizeInBytes)) return null;
  return {
    version: hint.version,
    size: hint.size,
    ...(isCount(hint.parts) ? { parts: hint.parts } : {}),
    ...(isCount(hint.sizeInBytes) ? { sizeInBytes: hint.sizeInBytes } : {}),
  };
}

/**
 * The actions of the checkpoint at `version` (every part of a multi-part one), or undefined when a part is missing,
 * unreadable, has another size than `sizeInBytes` says, or lacks protocol and metaData.
 */
export async function readCheckpointAt(
  store: DeltaStore,
  table: string,
  version: number,
  parts?: number,
  sizeInBytes?: number,
): Promise<Action[] | undefined> {
  const paths =
    parts === undefined || parts <= 1
      ? [checkpointPath(table, version)]
      : Array.from({ length: parts }, (_, i) => checkpointPartPath(table, version, i + 1, parts));
  const actions: Action[] = [];
  let bytesRead = 0;
  for (const p of paths) {
    const bytes = await store.get(p);
    if (bytes === undefined) return undefined;
    bytesRead += bytes.byteLength;
    try {
      for (const a of await readCheckpoint(bytes)) actions.push(a);
    } catch {
      return undefined;
    }
  }
  if (sizeInBytes !== undefined && sizeInBytes > 0 && paths.length === 1 && bytesRead !== sizeInBytes) return undefined;
  if (!actions.some((a) => 'protocol' in a) || !actions.some((a) => 'metaData' in a)) return undefined;
  return actions;
}

const commitExists = async (store: DeltaStore, table: string, version: number) =>
  (await store.get(commitPath(table, version))) !== undefined;

/**
 * The newest version at or after `from` whose commit exists, given that commit `from` exists (or `from` is a
 * checkpoint version whose commit may have been cleaned up): doubling steps until a version is missing, then a
 * binary search between the last present and the first missing one. About 2·log2(n) reads for n newer commits.
 */
export async function lastCommitFrom(store: DeltaStore, table: string, from: number): Promise<number> {
  let present = from;
  let step = 1;
  let missing = -1;
  while (missing < 0) {
    const probe = present + step;
    if (await commitExists(store, table, probe)) {
      present = probe;
      step *= 2;
    } else missing = probe;
  }
  while (missing - present > 1) {
    const mid = present + Math.floor((missing - present) / 2);
    if (await commitExists(store, table, mid)) present = mid;
    else missing = mid;
  }
  return present;
}

const COMMIT_RE = /^(\d{20})\.json$/;
const CHECKPOINT_RE = /^(\d{20})\.checkpoint\.parquet$/;
const PART_RE = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

/** What a listing of `_delta_log` shows: the newest commit, and checkpoints newest first (complete ones only). */
export interface ListedLog {
  readonly latest: number;
  readonly oldest: number;
  readonly checkpoints: { version: number; parts?: number }[];
}

export async function listLog(store: DeltaStore, table: string): Promise<ListedLog> {
  let latest = -1;
  let oldest = -1;
  const single = new Set<number>();
  const partsSeen = new Map<string, number>(); // "version/of" → parts present
  for (const name of await store.list(`${table}/${LOG_DIR}`)) {
    const commit = COMMIT_RE.exec(name);
    if (commit) {
      const v = Number(commit[1]);
      if (v > latest) latest = v;
      if (oldest < 0 || v < oldest) oldest = v;
      continue;
    }
    const cp = CHECKPOINT_RE.exec(name);
    if (cp) single.add(Number(cp[1]));
    const part = PART_RE.exec(name);
    if (part) {
      const key = `${Number(part[1])}/${Number(part[3])}`;
      partsSeen.set(key, (partsSeen.get(key) ?? 0) + 1);
    }
  }
  const checkpoints: { version: number; parts?: number }[] = [];
  for (const version of single) checkpoints.push({ version });
  for (const [key, seen] of partsSeen) {
    const [version, parts] = key.split('/').map(Number);
    if (version !== undefined && seen === parts) checkpoints.push({ version, parts });
  }
  checkpoints.sort((a, b) => b.version - a.version);
  return { latest, oldest, checkpoints };
}
