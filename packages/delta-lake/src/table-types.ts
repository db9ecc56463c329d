import type { Action } from './log';

/** The options and results of DeltaTable (table.ts). */

/**
 * Commits between checkpoints. 50, by measurement (docs/reliability.md, "Over time"): against 10, appends cost 2-3
 * times less on average and the checkpoint write leaves their p95, while a load reads at most 49 commits after the
 * checkpoint (a few round trips, read ahead in parallel).
 */
export const DEFAULT_CHECKPOINT_INTERVAL = 50;

/** Entries (live files and tombstones) a checkpoint may hold at the table's own interval; see checkpointEvery. */
export const CHECKPOINT_ENTRIES_AT_INTERVAL = 10_000;

/**
 * Commits between the writer's checkpoints for a snapshot of `entries` live files and tombstones: the table's
 * interval, doubled for each doubling of the snapshot past CHECKPOINT_ENTRIES_AT_INTERVAL. A checkpoint rewrites
 * every entry, so at 4 commits/s a table holding 70,000 tombstones (a few hours of removed files) would spend ~3 s
 * every 12 s writing checkpoints; this keeps the checkpoint work per commit about constant, and a load reads at most
 * that many commits after the checkpoint. Always a multiple of the interval (powers of two of it).
 */
export function checkpointEvery(interval: number, entries: number): number {
  let every = interval;
  while (entries > CHECKPOINT_ENTRIES_AT_INTERVAL * (every / interval)) every *= 2;
  return every;
}

export interface DeltaTableOptions {
  /** Write a Parquet checkpoint after every N-th commit (default DEFAULT_CHECKPOINT_INTERVAL; 0: never). */
  readonly checkpointInterval?: number;
  /** How many times a commit is retried after losing the race for a version. */
  readonly maxCommitAttempts?: number;
  /** Partitions whose keys are held in memory for the exactly-once check. */
  readonly keyIndexPartitions?: number;
  /** The clock (tests); default Date.now. */
  readonly now?: () => number;
}

export interface AppendResult {
  /** The committed version, or null when every row was already in the table. */
  readonly version: number | null;
  /** Keys committed by this call. */
  readonly writtenKeys: readonly string[];
  /** Keys skipped because the table already had them (a retry or replay of an earlier write). */
  readonly duplicateKeys: readonly string[];
  readonly files: readonly string[];
}

/** What a transaction's plan commits: its actions, what the caller gets back, and how to undo its side effects. */
export interface Planned<T> {
  readonly actions: Action[];
  readonly result: T;
  /** Called when the commit lost the race and the plan is made again (e.g. deletes the data files it wrote). */
  readonly discard?: () => Promise<void>;
}

export interface Transacted<T> {
  /** The committed version; null when the plan committed nothing. */
  readonly version: number | null;
  readonly result: T | null;
}

export class DeltaCommitConflictError extends Error {
  constructor(table: string, attempts: number) {
    super(`${table}: could not commit after ${attempts} attempts; other writers kept winning the next version`);
    this.name = 'DeltaCommitConflictError';
  }
}
