import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { maintenanceSchedules } from './schedules';

/** Where one maintenance target stands: its schedule, its newest run, and when a run last completed. */
export interface MaintenanceTargetStatus {
  readonly target: string;
  readonly scheduleId: string;
  /** False: no schedule (the worker has not started with MAINTENANCE_SCHEDULES, or it was deleted). */
  readonly scheduled: boolean;
  readonly paused: boolean;
  readonly intervalS: number | null;
  readonly nextRunAt: string | null;
  /** The newest run the schedule started: its workflow id, status (RUNNING, COMPLETED, FAILED, ...) and times. */
  readonly lastRun: { readonly workflowId: string; readonly status: string; readonly startedAt: string } | null;
  /** When the newest completed run (among the schedule's recent ones) closed. */
  readonly lastSuccessAt: string | null;
}

/** How many of a schedule's recent runs are looked at for the last success (newest first). */
const RUNS_LOOKED_AT = 3;

/** The status of every maintenance schedule the configuration asks for. */
export async function maintenanceStatus(
  client: Client,
  config: Parameters<typeof maintenanceSchedules>[0],
): Promise<MaintenanceTargetStatus[]> {
  return Promise.all(maintenanceSchedules(config).map((s) => targetStatus(client, s.target, s.scheduleId)));
}

async function targetStatus(client: Client, target: string, scheduleId: string): Promise<MaintenanceTargetStatus> {
  const none = { target, scheduleId, paused: false, intervalS: null, nextRunAt: null, lastRun: null };
  let d;
  try {
    d = await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return { ...none, scheduled: false, lastSuccessAt: null };
    throw err;
  }
  const every = d.spec.intervals?.[0]?.every;
  const recent = [...d.info.recentActions].reverse().slice(0, RUNS_LOOKED_AT);
  let lastRun: MaintenanceTargetStatus['lastRun'] = null;
  let lastSuccessAt: string | null = null;
  for (const action of recent) {
    const { workflowId, firstExecutionRunId } = action.action.workflow;
    const run = await client.workflow
      .getHandle(workflowId, firstExecutionRunId)
      .describe()
      .catch(() => null); // past the namespace retention
    const status = run?.status.name ?? 'UNKNOWN';
    lastRun ??= { workflowId, status, startedAt: action.takenAt.toISOString() };
    if (status === 'COMPLETED' && run?.closeTime) {
      lastSuccessAt = run.closeTime.toISOString();
      break;
    }
  }
  return {
    ...none,
    scheduled: true,
    paused: d.state.paused,
    intervalS: typeof every === 'number' ? every / 1000 : null,
    nextRunAt: d.info.nextActionTimes[0]?.toISOString() ?? null,
    lastRun,
    lastSuccessAt,
  };
}
