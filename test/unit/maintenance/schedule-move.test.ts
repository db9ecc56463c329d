import assert from 'node:assert/strict';
import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import { loadConfig } from '../../../src/config/config';
import { ensureMaintenanceSchedules, maintenanceSchedules } from '../../../src/maintenance/schedules';

/**
 * A schedule that moves to another task queue ends the runs it left on the old one: with overlap SKIP such a run
 * (no worker serves the old queue) would make the schedule skip every time until the run's execution timeout.
 */
describe('maintenance schedules moved to another task queue', () => {
  function fakeClient(oldQueue: string) {
    const terminated: string[] = [];
    const describe = (scheduleId: string): ScheduleDescription =>
      ({
        scheduleId,
        spec: { intervals: [{ every: 60_000 }] },
        action: { type: 'startWorkflow', workflowType: 'x', taskQueue: oldQueue, args: [] },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
        state: { paused: false },
        info: {
          runningActions: [
            { type: 'startWorkflow', workflow: { workflowId: `${scheduleId}-old`, firstExecutionRunId: 'r1' } },
          ],
        },
      }) as unknown as ScheduleDescription;
    const client = {
      schedule: {
        getHandle: (id: string) => ({ describe: () => Promise.resolve(describe(id)), update: () => Promise.resolve() }),
      },
      workflow: {
        getHandle: (id: string) => ({
          terminate: () => {
            terminated.push(id);
            return Promise.resolve();
          },
        }),
      },
    } as unknown as Client;
    return { client, terminated };
  }

  it('terminates the runs left on the old queue and only those', async () => {
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: 'new-queue', MAINTENANCE_INTERVAL_S: '60' });
    const moved = fakeClient('old-queue');
    const outcomes = await ensureMaintenanceSchedules(moved.client, config);
    const ids = maintenanceSchedules(config).map((s) => `${s.scheduleId}-old`);
    assert.ok([...outcomes.values()].every((o) => o === 'updated'));
    assert.deepEqual(moved.terminated.sort(), ids.sort());

    const stayed = fakeClient('new-queue'); // same queue, other interval: updated, its runs left alone
    await ensureMaintenanceSchedules(stayed.client, loadConfig({ TEMPORAL_TASK_QUEUE: 'new-queue' }));
    assert.deepEqual(stayed.terminated, []);
  });
});
