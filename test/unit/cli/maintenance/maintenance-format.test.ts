import assert from 'node:assert/strict';
import { maintenanceLines, maintenanceProblems } from '../../../../src/cli/maintenance/maintenance-format';
import type { MaintenanceTargetStatus } from '../../../../src/maintenance/schedule-status';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const iso = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const target = (over: Partial<MaintenanceTargetStatus>): MaintenanceTargetStatus => ({
  target: 'xact_events',
  scheduleId: 'maintenance-xact_events',
  scheduled: true,
  paused: false,
  intervalS: 3600,
  nextRunAt: null,
  lastRun: { workflowId: 'w', status: 'COMPLETED', startedAt: iso(600) },
  lastSuccessAt: iso(590),
  ...over,
});

describe('maintenance status lines and problems (status, maintenance status)', () => {
  it('shows the interval, the newest run and the last success', () => {
    assert.deepEqual(maintenanceLines([target({})], NOW), [
      'xact_events                  every 60m: last run 10m ago completed, last success 10m ago',
    ]);
    assert.match(maintenanceLines([target({ scheduled: false })], NOW)[0]!, /no schedule/);
  });

  it('a healthy target is no problem; paused, failed or overdue ones are', () => {
    assert.deepEqual(maintenanceProblems([target({})], NOW), []);
    assert.match(maintenanceProblems([target({ paused: true })], NOW)[0]!, /paused/);
    const failed = target({ lastRun: { workflowId: 'w', status: 'FAILED', startedAt: iso(60) } });
    assert.match(maintenanceProblems([failed], NOW)[0]!, /ended FAILED/);
    const overdue = target({
      lastSuccessAt: iso(4 * 3600),
      lastRun: { workflowId: 'w', status: 'COMPLETED', startedAt: iso(4 * 3600 + 9) },
    });
    assert.match(maintenanceProblems([overdue], NOW)[0]!, /has not completed a run for 4.0h/);
  });

  it('a missing schedule is a problem for `maintenance status`, not for `status`', () => {
    const missing = target({ scheduled: false, lastRun: null, lastSuccessAt: null });
    assert.deepEqual(maintenanceProblems([missing], NOW), []);
    assert.match(maintenanceProblems([missing], NOW, true)[0]!, /maintenance setup/);
  });
});
