/** What the maintenance workflows and their activities hand each other (pure data, used by workflow code). */

/** One table's maintenance run, as its workflow returns it and `maintenance status` shows it. */
export interface TableMaintenanceReport {
  readonly table: string;
  /** False: the table has no log yet (nothing written to it): nothing was done. */
  readonly exists: boolean;
  readonly compactedPartitions: number;
  readonly filesRewritten: number;
  readonly bytesCompacted: number;
  /** Partitions whose compaction lost to another writer's removal of the same files (done on the next run). */
  readonly skippedPartitions: number;
  readonly checkpointVersion: number | null;
  readonly logFilesDeleted: number;
  readonly logFiles: number;
  readonly dataFilesVacuumed: number;
  readonly dataFiles: number;
  readonly maxFilesPerPartition: number;
}

/** One side-file retention run. */
export interface SideFilesReport {
  /** Files deleted, per kind (claim_check, quarantine, archive_input). */
  readonly deleted: Readonly<Record<string, number>>;
  /** Files past the retention kept because a run may still read them (running, or a DLQ entry not resolved). */
  readonly keptReplayable: number;
}
