import type { RemoveAction, Snapshot } from './log';

/**
 * Table properties of the maintenance, under Delta's own names (docs.delta.io "Table properties"; delta-rs reads
 * the same keys): how long the log keeps commits, how long a removed data file stays on storage, and how often a
 * writer checkpoints. Durations use Delta's interval syntax, e.g. "interval 2 hours", "interval 1 days".
 */
export const TABLE_PROPERTIES = {
  logRetention: 'delta.logRetentionDuration',
  deletedFileRetention: 'delta.deletedFileRetentionDuration',
  checkpointInterval: 'delta.checkpointInterval',
} as const;

/** Delta's fallbacks for a table without the property (the protocol's documented defaults). */
const DELTA_DEFAULTS = { logRetention: 'interval 30 days', deletedFileRetention: 'interval 1 weeks' } as const;

const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/** Milliseconds of a Delta interval ("interval 30 days", "interval 1 week", "2 hours"); throws on anything else. */
export function parseInterval(text: string): number {
  const m = /^\s*(?:interval\s+)?(\d+)\s+([a-z]+?)s?\s*$/i.exec(text);
  const unit = m?.[2] ? UNIT_MS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`not a Delta interval: ${JSON.stringify(text)}`);
  return Number(m[1]) * unit;
}

export interface TableRetention {
  readonly logRetentionMs: number;
  readonly deletedFileRetentionMs: number;
}

/** The retentions a table's configuration says (Delta's defaults where it says nothing). */
export function retentionOf(configuration: Readonly<Record<string, string>> | undefined): TableRetention {
  const get = (key: string, fallback: string) => parseInterval(configuration?.[key] ?? fallback);
  return {
    logRetentionMs: get(TABLE_PROPERTIES.logRetention, DELTA_DEFAULTS.logRetention),
    deletedFileRetentionMs: get(TABLE_PROPERTIES.deletedFileRetention, DELTA_DEFAULTS.deletedFileRetention),
  };
}

/**
 * Time a tombstone stays in checkpoints beyond twice the retention: a maintenance run that compacts and then
 * vacuums with a retention of zero must still find what it removed a moment before, and writers' clocks differ.
 */
const TOMBSTONE_GRACE_MS = 10 * 60_000;

/**
 * Forgets the tombstones a checkpoint need no longer carry and returns the others. Delta lets a checkpoint drop a
 * tombstone once the deleted-file retention has passed; ours go after twice that plus ten minutes, so the vacuum
 * (which deletes at one retention) has had a whole retention to delete the file first: maintenance must run at least once per
 * retention (MAINTENANCE_INTERVAL_S ≤ the retention). Not longer: every tombstone is held in each checkpoint and in a
 * long-lived writer's memory (~0.5 kB each), and a table compacted at 4 commits/s removes 14,400 files an hour (issue
 * 31; an hour of grace until then kept the soak's tables growing for 70 minutes). Without expiry every
 * checkpoint would hold every file compaction ever removed. A retention the table spells wrongly
 * expires nothing (a writer never fails over it).
 */
export function expireTombstones(snapshot: Snapshot, now = Date.now()): RemoveAction[] {
  let retentionMs: number;
  try {
    retentionMs = retentionOf(snapshot.metaData?.configuration).deletedFileRetentionMs;
  } catch {
    return [...snapshot.tombstones.values()];
  }
  const kept: RemoveAction[] = [];
  for (const [path, t] of snapshot.tombstones) {
    if (typeof t.deletionTimestamp === 'number' && t.deletionTimestamp <= now - 2 * retentionMs - TOMBSTONE_GRACE_MS) {
      snapshot.tombstones.delete(path);
    } else kept.push(t);
  }
  return kept;
}

/**
 * How long a writer may trust its snapshot to be continued by the next commit file: half the table's log
 * retention. Log cleanup deletes only commits older than the retention that precede a checkpoint, so a commit after
 * a snapshot that was the newest less than a retention ago still exists; half leaves room for clock skew between
 * the writer and the maintenance. A retention the table spells wrongly: 15 minutes.
 */
export function staleSnapshotMs(snapshot: Snapshot): number {
  try {
    return retentionOf(snapshot.metaData?.configuration).logRetentionMs / 2;
  } catch {
    return 15 * 60_000;
  }
}
