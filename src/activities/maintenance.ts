import { Context } from '@temporalio/activity';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { SideFileRuns } from '../maintenance/side-files';
import { sweepSideFiles } from '../maintenance/side-files';
import {
  checkpointStep,
  cleanupStep,
  compactStep,
  type CompactionSummary,
  prepareTable,
  vacuumStep,
  type VacuumSummary,
} from '../maintenance/table-steps';
import type { MaintainedTable } from '../maintenance/tables';
import type { MaintenanceMetrics } from '../observability/maintenance-metrics';
import { SIDE_FILES_TARGET } from '../shared/ids';
import type { SideFilesReport, TableMaintenanceReport } from '../shared/maintenance-types';

/** What the maintenance activities are built from (the worker wires them; absent: they fail, saying so). */
export interface MaintenanceDeps {
  readonly tables: ReadonlyMap<string, MaintainedTable>;
  readonly targetFileBytes: number;
  /** The properties a table without its own gets (retentions, checkpoint interval); absent: the package defaults. */
  readonly tableProperties?: Readonly<Record<string, string>>;
  readonly sideFiles: {
    readonly runs: SideFileRuns;
    readonly archiveInputsPrefix: string;
    readonly retentionMs: number;
  };
  readonly metrics?: MaintenanceMetrics;
}

/** How often a maintenance step reports that its worker is alive (the workflow's heartbeat timeout is 30 s). */
export const MAINTENANCE_LIVENESS_MS = 5_000;

/**
 * Runs a maintenance step while heartbeating every few seconds: a step can run for minutes on a big table, and
 * without heartbeats a step lost with its worker (or a task the worker never received) would hold the table's
 * schedule (overlap SKIP) until the 1-hour start-to-close timeout. Outside an activity (unit tests) it just runs.
 */
async function alive<T>(step: () => Promise<T>): Promise<T> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    return step();
  }
  const timer = setInterval(() => ctx.heartbeat(), MAINTENANCE_LIVENESS_MS);
  try {
    ctx.heartbeat();
    return await step();
  } finally {
    clearInterval(timer);
  }
}

/** The activities of maintainDeltaTable (one per step, so each shows in the Web UI) and maintainSideFiles. */
export function createMaintenanceActivities(store: ObjectStore, deps: MaintenanceDeps | undefined) {
  const configured = (): MaintenanceDeps => {
    if (!deps) throw new Error('this worker was built without maintenance dependencies');
    return deps;
  };
  const table = (name: string): MaintainedTable => {
    const t = configured().tables.get(name);
    if (!t) throw new Error(`no maintained table named ${JSON.stringify(name)}`);
    return t;
  };
  return {
    prepareTableMaintenance: (name: string): Promise<boolean> =>
      alive(() => prepareTable(store, table(name), configured().tableProperties)),
    compactDeltaTable: (name: string): Promise<CompactionSummary> =>
      alive(() => compactStep(store, table(name), configured().targetFileBytes)),
    checkpointDeltaTable: (name: string): Promise<number | null> => alive(() => checkpointStep(store, table(name))),
    cleanupDeltaLog: (name: string): Promise<{ deleted: number; remaining: number }> =>
      alive(() => cleanupStep(store, table(name))),
    vacuumDeltaTable: (name: string): Promise<VacuumSummary> => alive(() => vacuumStep(store, table(name))),
    async recordTableMaintenance(report: TableMaintenanceReport): Promise<void> {
      configured().metrics?.tableMaintained(report);
      return Promise.resolve();
    },
    async sweepSideFiles(): Promise<SideFilesReport> {
      const d = configured();
      const report = await alive(() => sweepSideFiles({ store, ...d.sideFiles }));
      d.metrics?.sideFilesSwept(SIDE_FILES_TARGET, report);
      return report;
    },
  };
}
