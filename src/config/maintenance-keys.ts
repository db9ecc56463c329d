import { z } from 'zod';
import { bool, key, positiveInt } from './schemas';

/** A Delta interval as table properties take it ("interval 2 hours"); the Delta package parses it the same way. */
const deltaInterval = z
  .string()
  .regex(
    /^\s*(?:interval\s+)?\d+\s+(?:millisecond|second|minute|hour|day|week)s?\s*$/i,
    'expected a Delta interval such as "interval 2 hours"',
  );

/** Scheduled maintenance (src/maintenance): Delta tables and the lakehouse's side files. */
export const MAINTENANCE_KEYS = {
  maintenanceSchedules: key(
    'MAINTENANCE_SCHEDULES',
    'true',
    'The worker creates or updates the maintenance Temporal Schedules at start (one per table, one for side files)',
    bool,
  ),
  maintenanceIntervalS: key(
    'MAINTENANCE_INTERVAL_S',
    '3600',
    'Seconds between maintenance runs of each table (compaction, checkpoint, log cleanup, vacuum) and of side files',
    positiveInt,
  ),
  maintenanceTargetFileBytes: key(
    'MAINTENANCE_TARGET_FILE_BYTES',
    String(2 * 1024 * 1024), // the delta-lake package's DEFAULT_COMPACT (why this size: there)
    'Compaction packs small data files of a partition into files of about this size; it decodes a whole file of this size at once (tens of times its size in memory), so raise it only with memory to spare',
    positiveInt,
  ),
  deltaLogRetention: key(
    'DELTA_LOG_RETENTION',
    'interval 2 hours',
    'delta.logRetentionDuration that maintenance gives a table without one (log cleanup keeps commits this long); a value the table already has is kept',
    deltaInterval,
  ),
  deltaDeletedFileRetention: key(
    'DELTA_DELETED_FILE_RETENTION',
    'interval 2 hours',
    'delta.deletedFileRetentionDuration that maintenance gives a table without one (vacuum deletes removed data files after this; keep it at least MAINTENANCE_INTERVAL_S, removed files are forgotten after twice this); a value the table already has is kept',
    deltaInterval,
  ),
  sideFileRetentionS: key(
    'SIDE_FILE_RETENTION_S',
    String(7 * 24 * 3600),
    'Seconds a claim check, quarantined payload or DLQ archive input is kept after its last write (archive input: after its entry was replayed or resolved); never deleted while a run may replay it',
    positiveInt,
  ),
} as const;
