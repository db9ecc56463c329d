import type { Counter, Gauge, Registry } from 'prom-client';
import type { SideFilesReport, TableMaintenanceReport } from '../shared/maintenance-types';
import { counter, gauge } from './metric-catalogue';

/** The maintenance's metrics (see metric-catalogue.ts), behind named methods. */
export class MaintenanceMetrics {
  private readonly dataFiles: Gauge;
  private readonly maxPerPartition: Gauge;
  private readonly logFiles: Gauge;
  private readonly compacted: Counter;
  private readonly deletedFiles: Counter;
  private readonly lastSuccess: Gauge;
  private readonly sideFiles: Counter;

  constructor(registry: Registry) {
    this.dataFiles = gauge(registry, 'delta_table_data_files');
    this.maxPerPartition = gauge(registry, 'delta_table_max_files_per_partition');
    this.logFiles = gauge(registry, 'delta_table_log_files');
    this.compacted = counter(registry, 'delta_maintenance_compacted_bytes_total');
    this.deletedFiles = counter(registry, 'delta_maintenance_deleted_files_total');
    this.lastSuccess = gauge(registry, 'pipeline_maintenance_last_success_timestamp_seconds');
    this.sideFiles = counter(registry, 'pipeline_side_files_deleted_total');
    for (const kind of ['claim_check', 'quarantine', 'archive_input']) this.sideFiles.inc({ kind }, 0);
  }

  /** A table's maintenance run completed: its file counts, what it compacted and deleted, and when. */
  tableMaintained(r: TableMaintenanceReport, at = Date.now()): void {
    const table = r.table;
    this.compacted.inc({ table }, r.bytesCompacted);
    this.deletedFiles.inc({ table, kind: 'log' }, r.logFilesDeleted);
    this.deletedFiles.inc({ table, kind: 'data' }, r.dataFilesVacuumed);
    if (r.exists) {
      this.dataFiles.set({ table }, r.dataFiles);
      this.maxPerPartition.set({ table }, r.maxFilesPerPartition);
      this.logFiles.set({ table }, r.logFiles);
    }
    this.lastSuccess.set({ target: table }, at / 1000);
  }

  sideFilesSwept(target: string, r: SideFilesReport, at = Date.now()): void {
    for (const [kind, n] of Object.entries(r.deleted)) this.sideFiles.inc({ kind }, n);
    this.lastSuccess.set({ target }, at / 1000);
  }
}
