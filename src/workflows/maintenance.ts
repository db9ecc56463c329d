import { proxyActivities } from '@temporalio/workflow';
import type { SideFilesReport, TableMaintenanceReport } from '../shared/maintenance-types';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

/**
 * Steps that may read or rewrite a whole table: a long start-to-close timeout, a few retries (every step is safe to
 * repeat), and a heartbeat timeout so that a step lost with its worker is retried within seconds instead of holding
 * the table's schedule for the hour (each step heartbeats every 5 s while it runs).
 */
const steps = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One Delta table's maintenance, started by its Temporal Schedule (maintenance-<table>): retention properties,
 * compaction of small files, a checkpoint, cleanup of expired log files, vacuum of expired removed files, then the
 * metrics. Each step is its own activity, so the Web UI shows which one ran, failed or was retried.
 */
export async function maintainDeltaTable(table: string): Promise<TableMaintenanceReport> {
  const exists = await steps.prepareTableMaintenance(table);
  const compaction = exists ? await steps.compactDeltaTable(table) : null;
  const checkpointVersion = exists ? await steps.checkpointDeltaTable(table) : null;
  const cleanup = exists ? await steps.cleanupDeltaLog(table) : null;
  const vacuum = exists ? await steps.vacuumDeltaTable(table) : null;
  const report: TableMaintenanceReport = {
    table,
    exists,
    compactedPartitions: compaction?.partitions ?? 0,
    filesRewritten: compaction?.filesRewritten ?? 0,
    bytesCompacted: compaction?.bytesCompacted ?? 0,
    skippedPartitions: compaction?.skippedPartitions ?? 0,
    checkpointVersion,
    logFilesDeleted: cleanup?.deleted ?? 0,
    logFiles: cleanup?.remaining ?? 0,
    dataFilesVacuumed: vacuum?.deleted ?? 0,
    dataFiles: vacuum?.dataFiles ?? 0,
    maxFilesPerPartition: vacuum?.maxFilesPerPartition ?? 0,
  };
  await steps.recordTableMaintenance(report);
  return report;
}

/** Retention of claim checks, quarantined payloads and DLQ archive inputs (schedule maintenance-side-files). */
export async function maintainSideFiles(): Promise<SideFilesReport> {
  return await steps.sweepSideFiles();
}
