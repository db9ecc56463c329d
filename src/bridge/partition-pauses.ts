import type { Logger } from '../observability/logger';
import type { BridgeMetrics } from './bridge-metrics';

interface PartitionState {
  paused: boolean;
  /** Since when the partition fails to hand its next message over (cleared by the first success). */
  failingSince?: number;
  failures: number;
  lastError?: string;
  timer?: NodeJS.Timeout;
}

export interface StuckPartition {
  readonly topic: string;
  readonly partition: number;
  readonly seconds: number;
  readonly error: string;
}

const RETRY_MIN_MS = 250;
/** Longest wait between two tries of a paused partition: starts resume within this after Temporal is back. */
export const RETRY_MAX_MS = 1_000;

/**
 * The bridge's paused partitions, one state each: a partition whose message cannot be handed over is paused on its
 * own (the others keep flowing) and resumed after a backoff that grows per consecutive failure, so its message is
 * fetched and tried again. Counts every paused partition (bridge_paused_partitions) and reports the ones failing
 * for longer than `stuckAfterMs` (bridge_stuck_partitions, readiness).
 */
export class PartitionPauses {
  private readonly states = new Map<string, PartitionState & { topic: string; partition: number }>();

  constructor(
    private readonly resume: (topic: string, partition: number) => void,
    private readonly metrics: BridgeMetrics,
    private readonly log: Logger,
    private readonly stuckAfterMs: number,
  ) {}

  /**
   * Marks the partition paused (the caller paused it in Kafka); logs the first pause of a series. Only failed()
   * makes it count towards stuck: back-pressure pauses without failing.
   */
  paused(topic: string, partition: number, why: string): void {
    const s = this.state(topic, partition);
    if (s.paused) return;
    s.paused = true;
    this.metrics.paused(this.count());
    this.log.warn(`${why}; partition paused, retrying`, { topic, partition });
  }

  /** A message could not be handed over: returns how long to wait before the partition is tried again. */
  failed(topic: string, partition: number, err: unknown): number {
    const s = this.state(topic, partition);
    s.failingSince ??= Date.now();
    s.failures++;
    s.lastError = err instanceof Error ? err.message : String(err);
    const backoff = Math.min(RETRY_MIN_MS * 2 ** (s.failures - 1), RETRY_MAX_MS);
    const retryAfter = (err as { retryAfterMs?: number })?.retryAfterMs;
    return typeof retryAfter === 'number' ? Math.min(Math.max(backoff, retryAfter), RETRY_MAX_MS) : backoff;
  }

  /** Resumes the partition after `delayMs` (one timer per partition). */
  resumeAfter(topic: string, partition: number, delayMs: number): void {
    const s = this.state(topic, partition);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      this.resume(topic, partition);
    }, delayMs);
    s.timer.unref();
  }

  /** A message of the partition was handed over: failures forgotten, and the partition resumed if it was paused. */
  succeeded(topic: string, partition: number): void {
    const s = this.states.get(key(topic, partition));
    if (!s) return;
    this.states.delete(key(topic, partition));
    clearTimeout(s.timer);
    if (s.paused) {
      this.resume(topic, partition);
      this.metrics.paused(this.count());
      const after = s.failingSince ? ` after ${((Date.now() - s.failingSince) / 1000).toFixed(1)} s` : '';
      this.log.info(`message handed over${after}; partition resumed`, { topic, partition });
    }
  }

  /** Partitions failing to hand a message over for longer than the threshold (back-pressure is not failing). */
  stuck(now = Date.now()): StuckPartition[] {
    return [...this.states.values()]
      .filter((s) => s.failingSince !== undefined && now - s.failingSince >= this.stuckAfterMs)
      .map((s) => ({
        topic: s.topic,
        partition: s.partition,
        seconds: Math.round((now - s.failingSince!) / 1000),
        error: s.lastError ?? '',
      }));
  }

  /** Forgets everything (the bridge stops). */
  clear(): void {
    for (const s of this.states.values()) clearTimeout(s.timer);
    this.states.clear();
    this.metrics.paused(0);
  }

  /**
   * Partitions are being reassigned: resumes every partition paused here (kafkajs keeps a pause across a
   * rebalance, so a partition assigned back to this member would otherwise never be fetched again) and forgets
   * the rest; a message that still cannot be handed over pauses its partition again.
   */
  resumeAll(): void {
    for (const s of this.states.values()) if (s.paused) this.resume(s.topic, s.partition);
    this.clear();
  }

  private count(): number {
    return [...this.states.values()].filter((s) => s.paused).length;
  }

  private state(topic: string, partition: number) {
    const k = key(topic, partition);
    let s = this.states.get(k);
    if (!s) {
      s = { topic, partition, paused: false, failures: 0 };
      this.states.set(k, s);
    }
    return s;
  }
}

const key = (topic: string, partition: number) => `${topic}/${partition}`;
