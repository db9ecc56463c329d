import type { Client } from '@temporalio/client';
import type { Logger } from '../observability/logger';
import { refreshEvery } from '../observability/refresh-timer';
import { queryString } from '../shared/visibility-query';
import type { BridgeMetrics } from './bridge-metrics';

/**
 * Back-pressure for BRIDGE_MAX_OPEN_WORKFLOWS: counts the running workflows of the task queue on a timer; the
 * bridge starts nothing while the count is at the limit, so a backlog waits in Kafka (visible as consumer lag)
 * instead of piling up as open workflows that slow Temporal down. A failed count admits (best effort).
 */
export class Admission {
  private running = 0;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limit: number,
    private readonly metrics: BridgeMetrics,
  ) {}

  admits(): boolean {
    return this.limit <= 0 || this.running < this.limit;
  }

  /** Counts a start at once, so a burst cannot overshoot the limit before the next count. */
  started(): void {
    this.running++;
  }

  start(intervalMs: number, log: Logger): () => Promise<void> {
    if (this.limit <= 0) return async () => undefined;
    const query = `TaskQueue = ${queryString(this.taskQueue)} AND ExecutionStatus = 'Running'`;
    return refreshEvery(
      intervalMs,
      async () => {
        try {
          const { count } = await this.client.workflow.count(query);
          this.running = count;
          this.metrics.runningWorkflows(count);
        } catch (err) {
          // Best effort: without a count the bridge admits, and an unreachable Temporal is handled by the
          // `temporal` breaker and the start retries (a stale count would pause it for no visible reason).
          this.running = 0;
          throw err;
        }
      },
      log,
      'running workflows not counted (back-pressure off until the next count)',
    );
  }
}
