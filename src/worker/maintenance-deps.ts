import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import { DEFAULT_TABLE_PROPERTIES, TABLE_PROPERTIES } from '@kafka-pipeline/delta-lake';
import type { MaintenanceDeps } from '../activities/maintenance';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { Config } from '../config/config';
import { dlqTables } from '../config/settings';
import { DlqService } from '../dlq/dlq-service';
import { ensureMaintenanceSchedules } from '../maintenance/schedules';
import { TemporalSideFileRuns } from '../maintenance/side-file-runs';
import { maintainedTables } from '../maintenance/tables';
import type { Logger } from '../observability/logger';
import { MaintenanceMetrics } from '../observability/maintenance-metrics';

/** The maintenance activities' adapters: the tables, the side-file sweep (Temporal + DLQ archive), metrics. */
export function buildMaintenanceDeps(
  config: Config,
  store: ObjectStore,
  client: Client,
  registry?: Registry,
): MaintenanceDeps {
  const dlq = new DlqService(client, config.temporalNamespace, config.temporalUiUrl, store, dlqTables(config));
  return {
    tables: maintainedTables(config),
    targetFileBytes: config.maintenanceTargetFileBytes,
    tableProperties: {
      ...DEFAULT_TABLE_PROPERTIES,
      [TABLE_PROPERTIES.logRetention]: config.deltaLogRetention,
      [TABLE_PROPERTIES.deletedFileRetention]: config.deltaDeletedFileRetention,
    },
    sideFiles: {
      runs: new TemporalSideFileRuns(client, dlq),
      archiveInputsPrefix: config.dlqArchiveFilesPrefix,
      retentionMs: config.sideFileRetentionS * 1000,
    },
    ...(registry ? { metrics: new MaintenanceMetrics(registry) } : {}),
  };
}

/**
 * Creates or updates the maintenance schedules (MAINTENANCE_SCHEDULES). A failure is logged, not fatal: the worker
 * still serves the pipeline, the next start tries again, and the maintenance alert says the runs are missing.
 */
export async function setUpMaintenanceSchedules(config: Config, client: Client, log: Logger): Promise<void> {
  if (!config.maintenanceSchedules) return;
  try {
    const outcomes = await ensureMaintenanceSchedules(client, config);
    log.info('maintenance schedules ready', {
      interval_s: config.maintenanceIntervalS,
      schedules: Object.fromEntries(outcomes),
    });
  } catch (err) {
    log.error('maintenance schedules not set up', { error: String(err) });
  }
}
