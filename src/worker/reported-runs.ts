/**
 * Runs whose outcome this worker already counted. Temporal calls a sink once per execution of workflow code, not
 * once per run: when a run's last workflow task is executed and then lost (it timed out or failed before the server
 * took its completion) the task runs again as new code, not as a replay, and reports the outcome a second time.
 * The metrics count a run once; the retry normally lands on the same worker (its sticky queue, or the only worker).
 * Bounded: the oldest run ids are forgotten first, long after their task could have been retried.
 */
export class ReportedRuns {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time `runId` is reported (and remembers it), false after. */
  first(runId: string): boolean {
    if (this.seen.has(runId)) return false;
    this.seen.add(runId);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}
