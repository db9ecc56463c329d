import type { DeltaStore } from './store';
import { commitPath, lastCheckpointPath, LOG_DIR } from './log-paths';

export interface LogCleanupReport {
  readonly table: string;
  /** The checkpoint the log now starts at (every version from it on can still be read); null: nothing expired. */
  readonly keptFrom: number | null;
  readonly deleted: number;
  /** Log files left (commits, checkpoints, checksums; not _last_checkpoint). */
  readonly remaining: number;
}

const VERSIONED = /^(\d{20})\.(json|crc|checkpoint(?:\.\d+\.\d+)?\.parquet)$/;
/**
 * Deletes the log files of commits older than the retention (Delta's expired log cleanup). The log is cut at the
 * newest checkpoint whose commit is older than `retentionMs`: commits, checksums and checkpoints strictly before it
 * go, the checkpoint and everything after it stay, so every version still in the log can be reconstructed (from
 * that checkpoint) and the newest checkpoint is never touched. Oldest files are deleted first: an interrupted
 * cleanup leaves a contiguous log. Lists the log once (maintenance, not the hot path).
 */
export async function cleanupLog(
  store: DeltaStore,
  table: string,
  retentionMs: number,
  now = Date.now(),
): Promise<LogCleanupReport> {
  const files: { name: string; version: number }[] = [];
  const checkpoints = new Set<number>();
  for (const name of await store.list(`${table}/${LOG_DIR}`)) {
    const m = VERSIONED.exec(name);
    if (!m) continue;
    const version = Number(m[1]);
    files.push({ name, version });
    if (m[2]?.startsWith('checkpoint')) checkpoints.add(version);
  }
  const keptFrom = await expiredCheckpoint(store, table, checkpoints, now - retentionMs);
  if (keptFrom === null) return { table, keptFrom, deleted: 0, remaining: files.length };
  const doomed = files.filter((f) => f.version < keptFrom).sort((a, b) => a.version - b.version);
  await deleteInOrder(
    store,
    doomed.map((f) => `${table}/${LOG_DIR}/${f.name}`),
  );
  return { table, keptFrom, deleted: doomed.length, remaining: files.length - doomed.length };
}

const DELETE_CONCURRENCY = 16;

/** Deletes the paths a few at a time, in their order (a missing object is not an error). */
export async function deleteInOrder(store: DeltaStore, paths: readonly string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += DELETE_CONCURRENCY) {
    await Promise.all(paths.slice(i, i + DELETE_CONCURRENCY).map((p) => store.delete(p)));
  }
}

/**
 * The newest checkpoint, at or before the one _last_checkpoint names (a checkpoint being written after it is left
 * alone), whose commit was made at or before `cutoff`. Commit times grow with versions, so a binary search reads
 * only a few commits. Null when there is none (or the checkpoint's commit time cannot be read: nothing is deleted).
 */
async function expiredCheckpoint(
  store: DeltaStore,
  table: string,
  listed: ReadonlySet<number>,
  cutoff: number,
): Promise<number | null> {
  const hint = await store.get(lastCheckpointPath(table));
  const newest = hint ? Number((JSON.parse(hint.toString('utf8')) as { version?: unknown }).version) : NaN;
  const candidates = [...listed].filter((v) => !Number.isInteger(newest) || v <= newest).sort((a, b) => a - b);
  let lo = 0;
  let hi = candidates.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = candidates[mid]!; // lo <= mid <= hi, all within candidates
    const time = await commitTime(store, table, candidate);
    if (time !== null && time <= cutoff) {
      found = candidate;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The commitInfo timestamp of a commit; null when the commit or its timestamp is missing. */
async function commitTime(store: DeltaStore, table: string, version: number): Promise<number | null> {
  const bytes = await store.get(commitPath(table, version));
  for (const line of (bytes?.toString('utf8') ?? '').split('\n')) {
    if (!line.includes('"commitInfo"')) continue;
    const t = (JSON.parse(line) as { commitInfo?: { timestamp?: unknown } }).commitInfo?.timestamp;
    if (typeof t === 'number') return t;
  }
  return null;
}
