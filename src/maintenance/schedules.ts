import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type Workflow,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { Config } from '../config/config';
import { maintenanceScheduleId, SIDE_FILES_TARGET, WORKFLOW_TYPES } from '../shared/ids';
import { maintainedTables } from './tables';

type MaintenanceConfig = Parameters<typeof maintainedTables>[0] & Pick<Config, 'maintenanceIntervalS' | 'taskQueue'>;

/** One maintenance schedule: its target (a table's name, or side-files) and the run it starts. */
export interface MaintenanceSchedule {
  readonly scheduleId: string;
  readonly target: string;
  readonly action: ScheduleOptionsStartWorkflowAction<Workflow>;
}

/** Every maintenance schedule the configuration asks for: one per table, one for the side files. */
export function maintenanceSchedules(config: MaintenanceConfig): MaintenanceSchedule[] {
  const action = (target: string, workflowType: string, args: unknown[]) => ({
    scheduleId: maintenanceScheduleId(target),
    target,
    action: {
      type: 'startWorkflow' as const,
      workflowType,
      args,
      taskQueue: config.taskQueue,
      workflowId: maintenanceScheduleId(target),
      // A run that cannot finish within a few intervals is stuck: ended, and the next scheduled one starts.
      workflowExecutionTimeout: Math.max(3 * config.maintenanceIntervalS, 3600) * 1000,
    },
  });
  return [
    ...[...maintainedTables(config).keys()].map((t) => action(t, WORKFLOW_TYPES.maintainDeltaTable, [t])),
    action(SIDE_FILES_TARGET, WORKFLOW_TYPES.maintainSideFiles, []),
  ];
}

export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates each maintenance schedule, or brings an existing one to the configured interval and action: idempotent,
 * so every worker start may call it (workers starting together: the loser of a create finds the schedule there).
 * Overlap SKIP: a table is never maintained by two runs at once; a missed time (no worker) is not made up later.
 */
export async function ensureMaintenanceSchedules(
  client: Client,
  config: MaintenanceConfig,
): Promise<Map<string, EnsureOutcome>> {
  const outcomes = new Map<string, EnsureOutcome>();
  const spec = { intervals: [{ every: config.maintenanceIntervalS * 1000 }] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 };
  for (const s of maintenanceSchedules(config)) {
    const handle = client.schedule.getHandle(s.scheduleId);
    let current: ScheduleDescription | undefined;
    try {
      current = await handle.describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    if (current && isUpToDate(current, s, config.maintenanceIntervalS)) {
      outcomes.set(s.target, 'unchanged');
    } else if (current) {
      await handle.update((prev) => ({ ...prev, spec, action: s.action, policies, state: prev.state }));
      await endRunsOnOldQueue(client, current, s);
      outcomes.set(s.target, 'updated');
    } else {
      try {
        await client.schedule.create({
          scheduleId: s.scheduleId,
          spec,
          action: s.action,
          policies,
          state: { note: `kafka-pipeline maintenance of ${s.target}` },
        });
        outcomes.set(s.target, 'created');
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        outcomes.set(s.target, 'unchanged'); // another worker created it just now
      }
    }
  }
  return outcomes;
}

function isUpToDate(d: ScheduleDescription, s: MaintenanceSchedule, intervalS: number): boolean {
  const every = d.spec.intervals?.map((i) => i.every) ?? [];
  const a = d.action;
  return (
    every.length === 1 &&
    every[0] === intervalS * 1000 &&
    (d.spec.calendars?.length ?? 0) === 0 &&
    a.workflowType === s.action.workflowType &&
    a.taskQueue === s.action.taskQueue &&
    JSON.stringify(a.args) === JSON.stringify(s.action.args) &&
    d.policies.overlap === ScheduleOverlapPolicy.SKIP
  );
}

/**
 * A schedule moved to another task queue may still have a run going on the old one, which no worker may serve any
 * more; with overlap SKIP that run would hold the schedule (every new time skipped) until its execution timeout.
 * Seen in the soak: a run left on a finished soak's queue kept the next soak's tables from being maintained.
 */
async function endRunsOnOldQueue(client: Client, was: ScheduleDescription, s: MaintenanceSchedule): Promise<void> {
  if (was.action.type !== 'startWorkflow' || was.action.taskQueue === s.action.taskQueue) return;
  for (const run of was.info.runningActions) {
    const reason = `maintenance schedule ${s.scheduleId} moved from task queue ${was.action.taskQueue} to ${s.action.taskQueue}`;
    try {
      await client.workflow.getHandle(run.workflow.workflowId, run.workflow.firstExecutionRunId).terminate(reason);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // it ended meanwhile
    }
  }
}
