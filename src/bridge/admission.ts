import type { Client } from '@temporalio/client';
import type { Logger } from '../observability/logger';
import { refreshEvery } from '../observability/refresh-timer';
import { queryString } from '../shared/visibility-query';
import type { BridgeMetrics } from './bridge-metrics';

/** While the limit holds starts back, the running workflows are counted again at most this often. */
export const HELD_BACK_RECOUNT_MS = 250;

/**
 * Back-pressure for BRIDGE_MAX_OPEN_WORKFLOWS: counts the running workflows of the task queue on a timer; the
 * bridge starts nothing while the count is at the limit, so a backlog waits in Kafka (visible as consumer lag)
 * instead of piling up as open workflows that slow Temporal down. A failed count admits (best effort).
 *
 * While the limit holds starts back, the count is renewed every HELD_BACK_RECOUNT_MS instead of waiting for the
 * timer: the runs started up to the limit end together (the worker runs them in waves of its workflow-task slots),
 * and a count up to a timer's interval old left the worker idle after each wave (bench: the backlog's starts and
 * completions every 100 ms, `BENCH_TRACE`).
 */
export class Admission {
  private running = 0;
  private countedAt = 0;
  private counting?: Promise<void>;
  private query?: string;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limit: number,
    private readonly metrics: BridgeMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  admits(): boolean {
    if (this.limit <= 0 || this.running < this.limit) return true;
    if (this.now() - this.countedAt >= HELD_BACK_RECOUNT_MS) this.count().catch(() => undefined); // the timer logs
    return false;
  }

  /** Counts a start at once, so a burst cannot overshoot the limit before the next count. */
  started(): void {
    this.running++;
  }

  start(intervalMs: number, log: Logger): () => Promise<void> {
    if (this.limit <= 0) return async () => undefined;
    this.query = `TaskQueue = ${queryString(this.taskQueue)} AND ExecutionStatus = 'Running'`;
    return refreshEvery(
      intervalMs,
      () => this.count(),
      log,
      'running workflows not counted (back-pressure off until the next count)',
    );
  }

  /** One count at a time: a caller while one is in flight shares it. */
  private count(): Promise<void> {
    const query = this.query;
    if (query === undefined) return Promise.resolve();
    return (this.counting ??= (async () => {
      try {
        const { count } = await this.client.workflow.count(query);
        this.running = count;
        this.metrics.runningWorkflows(count);
      } catch (err) {
        // Best effort: without a count the bridge admits, and an unreachable Temporal is handled by the
        // `temporal` breaker and the start retries (a stale count would pause it for no visible reason).
        this.running = 0;
        throw err;
      } finally {
        this.countedAt = this.now();
        this.counting = undefined;
      }
    })());
  }
}
