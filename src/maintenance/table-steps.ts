import {
  cleanupLog,
  compactTable,
  DeltaTable,
  ensureTableProperties,
  filesPerPartition,
  loadSnapshot,
  retentionOf,
  vacuumTable,
} from '@kafka-pipeline/delta-lake';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { MaintainedTable } from './tables';

/**
 * The steps of one table's maintenance, each an activity of maintainDeltaTable. Every step opens the table anew (a
 * maintenance instance of its own: the pipeline's writers are other instances, in this process or others) and
 * commits only through the table's optimistic transaction, so it races live appends safely.
 */

/** Opens the table, or null when it has no log yet (nothing was ever written to it: nothing to maintain). */
export async function openExisting(store: ObjectStore, t: MaintainedTable): Promise<DeltaTable | null> {
  if ((await loadSnapshot(store, t.path)).version < 0) return null;
  return DeltaTable.open(store, t.path, t.def);
}

/** Sets our retention properties where the table has none; returns what the table now says. */
export async function prepareTable(
  store: ObjectStore,
  t: MaintainedTable,
  properties?: Readonly<Record<string, string>>,
): Promise<boolean> {
  const table = await openExisting(store, t);
  if (!table) return false;
  retentionOf(await ensureTableProperties(store, table, properties)); // a misspelled operator value fails here, clearly
  return true;
}

export interface CompactionSummary {
  readonly partitions: number;
  readonly filesRewritten: number;
  readonly bytesCompacted: number;
  readonly skippedPartitions: number;
}

/** Compaction (bin packing) of each partition's small files; rows unchanged (dataChange=false rewrites). */
export async function compactStep(
  store: ObjectStore,
  t: MaintainedTable,
  targetFileBytes: number,
): Promise<CompactionSummary> {
  const table = await openExisting(store, t);
  if (!table) return { partitions: 0, filesRewritten: 0, bytesCompacted: 0, skippedPartitions: 0 };
  const report = await compactTable(store, table, { targetFileBytes, minFiles: 2 });
  const done = report.partitions.filter((p) => p.version !== null);
  return {
    partitions: done.length,
    filesRewritten: done.reduce((n, p) => n + p.filesBefore, 0),
    bytesCompacted: done.reduce((n, p) => n + p.bytesBefore, 0),
    skippedPartitions: report.partitions.length - done.length,
  };
}

/** A checkpoint of the newest version, so log cleanup has a recent one to cut at. */
export async function checkpointStep(store: ObjectStore, t: MaintainedTable): Promise<number | null> {
  const table = await openExisting(store, t);
  if (!table) return null;
  await table.refresh();
  await table.checkpoint();
  return table.version;
}

/** Deletes commits older than delta.logRetentionDuration (cut at a checkpoint); returns deleted and remaining. */
export async function cleanupStep(
  store: ObjectStore,
  t: MaintainedTable,
): Promise<{ deleted: number; remaining: number }> {
  const snapshot = await loadSnapshot(store, t.path);
  if (snapshot.version < 0) return { deleted: 0, remaining: 0 };
  const { logRetentionMs } = retentionOf(snapshot.metaData?.configuration);
  const report = await cleanupLog(store, t.path, logRetentionMs);
  return { deleted: report.deleted, remaining: report.remaining };
}

export interface VacuumSummary {
  readonly deleted: number;
  readonly bytes: number;
  readonly dataFiles: number;
  readonly maxFilesPerPartition: number;
}

/** Deletes data files removed longer ago than delta.deletedFileRetentionDuration; counts the live files. */
export async function vacuumStep(store: ObjectStore, t: MaintainedTable): Promise<VacuumSummary> {
  const snapshot = await loadSnapshot(store, t.path);
  if (snapshot.version < 0) return { deleted: 0, bytes: 0, dataFiles: 0, maxFilesPerPartition: 0 };
  const { deletedFileRetentionMs } = retentionOf(snapshot.metaData?.configuration);
  const report = await vacuumTable(store, t.path, deletedFileRetentionMs);
  let max = 0;
  for (const n of filesPerPartition(snapshot).values()) max = Math.max(max, n);
  return { deleted: report.deleted, bytes: report.bytes, dataFiles: snapshot.files.size, maxFilesPerPartition: max };
}
