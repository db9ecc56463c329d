import type { DeltaStore } from './store';
import { loadSnapshot } from './log';
import { deleteInOrder } from './log-cleanup';

export interface VacuumReport {
  readonly table: string;
  /** Removed data files whose retention has passed, deleted from storage (or that would be, in a dry run). */
  readonly deleted: number;
  readonly bytes: number;
  /** Removed data files still within the retention (a reader of an older snapshot may still open them). */
  readonly retained: number;
  readonly dryRun: boolean;
}

/** Where a table remembers up to which removal time its tombstones were vacuumed (hidden from Delta readers: `_`). */
export const vacuumStatePath = (table: string): string => `${table}/_vacuum_state.json`;

/**
 * Deletes data files the log removed (tombstones) longer ago than `retentionMs` (Delta VACUUM, for files removed by
 * this log: compaction's rewrites). A file live again in the snapshot is never deleted; a file already gone is not
 * an error. Each run handles only tombstones removed after the previous run's cutoff (kept in vacuumStatePath), so
 * the work per run is what was removed since, not every tombstone the checkpoints still hold. Files the log never
 * referenced are not touched (they need a listing of the table; see the runbook).
 */
export async function vacuumTable(
  store: DeltaStore,
  table: string,
  retentionMs: number,
  opts: { readonly now?: number; readonly dryRun?: boolean } = {},
): Promise<VacuumReport> {
  const cutoff = (opts.now ?? Date.now()) - retentionMs;
  const state = await store.get(vacuumStatePath(table));
  const since = state
    ? Number((JSON.parse(state.toString('utf8')) as { vacuumedThrough?: unknown }).vacuumedThrough)
    : NaN;
  const snapshot = await loadSnapshot(store, table);
  const expired: { path: string; size: number }[] = [];
  let retained = 0;
  for (const t of snapshot.tombstones.values()) {
    if (snapshot.files.has(t.path)) continue;
    // A tombstone without a time cannot be proven old: kept.
    if (typeof t.deletionTimestamp !== 'number' || t.deletionTimestamp > cutoff) retained++;
    else if (!(t.deletionTimestamp <= since)) expired.push({ path: t.path, size: t.size ?? 0 });
  }
  const dryRun = opts.dryRun ?? false;
  if (!dryRun) {
    await deleteInOrder(
      store,
      expired.map((f) => `${table}/${decodeURIComponent(f.path)}`),
    );
    await store.put(vacuumStatePath(table), Buffer.from(JSON.stringify({ vacuumedThrough: cutoff })));
  }
  const bytes = expired.reduce((n, f) => n + f.size, 0);
  return { table, deleted: expired.length, bytes, retained, dryRun };
}
