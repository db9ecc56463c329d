import type { MaintenanceTargetStatus } from '../../maintenance/schedule-status';
import { age } from '../common/age';

/** One line per target: schedule state, newest run, last success. */
export function maintenanceLines(targets: readonly MaintenanceTargetStatus[], now = Date.now()): string[] {
  const ago = (iso: string) => `${age(Math.max(0, Math.round((now - Date.parse(iso)) / 1000)))} ago`;
  return targets.map((t) => {
    if (!t.scheduled) return `${t.target.padEnd(28)} no schedule`;
    const run = t.lastRun ? `last run ${ago(t.lastRun.startedAt)} ${t.lastRun.status.toLowerCase()}` : 'no run yet';
    const ok = t.lastSuccessAt ? `, last success ${ago(t.lastSuccessAt)}` : '';
    return `${t.target.padEnd(28)} ${t.paused ? 'PAUSED, ' : ''}every ${age(t.intervalS ?? 0)}: ${run}${ok}`;
  });
}

/**
 * Targets whose maintenance is overdue: paused, its last run failed, or no run completed within three intervals (and, with
 * `missingIsProblem`, no schedule at all: `status` shows a stack whose worker never started without complaint).
 */
export function maintenanceProblems(
  targets: readonly MaintenanceTargetStatus[],
  now = Date.now(),
  missingIsProblem = false,
): string[] {
  const out: string[] = [];
  for (const t of targets) {
    if (!t.scheduled) {
      if (missingIsProblem)
        out.push(`maintenance: ${t.target} has no schedule (run \`kafka-pipeline maintenance setup\`)`);
    } else if (t.paused) out.push(`maintenance: the schedule of ${t.target} is paused`);
    else if (t.lastRun && ['FAILED', 'TIMED_OUT', 'TERMINATED'].includes(t.lastRun.status))
      out.push(`maintenance: the last run of ${t.target} ended ${t.lastRun.status} (${t.lastRun.workflowId})`);
    else if (t.lastRun && t.intervalS !== null) {
      const since = Date.parse(t.lastSuccessAt ?? t.lastRun.startedAt);
      if (now - since > 3 * t.intervalS * 1000 && t.lastRun.status !== 'RUNNING')
        out.push(`maintenance: ${t.target} has not completed a run for ${age(Math.round((now - since) / 1000))}`);
    }
  }
  return out;
}
