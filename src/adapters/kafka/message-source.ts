/**
 * The port of the bridge's message source: what the bridge needs of Kafka, and nothing of kafkajs. The Kafka
 * adapter (kafka-source.ts) implements it; the bridge's hand-over policy is tested against a fake of it.
 */

/** One fetched message: its key and value as bytes, its offset and broker timestamp as Kafka's decimal strings. */
export interface SourceMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
  readonly timestamp: string;
}

/** One partition's fetched messages, in offset order, with the calls that move the partition on. */
export interface SourceBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly SourceMessage[];
  /** Marks `offset` and everything before it as handed over: only such offsets are ever committed. */
  resolveOffset(offset: string): void;
  /** Commits the resolved offsets when a commit is due. */
  commitIfDue(): Promise<void>;
  /** Keeps the group membership alive while a batch takes long. */
  heartbeat(): Promise<void>;
  /** Stops fetching this partition until `MessageSource.resume` (its unresolved messages are fetched again then). */
  pause(): void;
  /** False once the source is stopping or the partition was taken away (rebalance): hand nothing more over. */
  isActive(): boolean;
}

/** What happens to the source's group membership and connection, for metrics, readiness and breakers. */
export interface SourceEvents {
  /** Joined (or rejoined) the group with `assignedPartitions` partitions of the topic. */
  joined(assignedPartitions: number): void;
  /** The group is reassigning partitions: this member consumes nothing until it has joined again. */
  rebalancing(): void;
  /** The consumer stopped or disconnected. */
  left(): void;
  /** The consumer crashed (it restarts itself as a new member). */
  crashed(error: Error): void;
  /** A request to Kafka failed (timed out). */
  requestFailed(error: Error): void;
  /** Kafka answered (a heartbeat or a fetch). */
  answered(): void;
}

/** A source of one topic's messages, batch by batch per partition, as a member of one consumer group. */
export interface MessageSource {
  /**
   * Joins the group and consumes: each fetched batch is passed to `handle`, which resolves offsets as it hands
   * messages over; nothing unresolved is committed. Resolves once consuming has begun.
   */
  start(handle: (batch: SourceBatch) => Promise<void>, events: SourceEvents): Promise<void>;
  /** Fetches a paused partition again. */
  resume(topic: string, partition: number): void;
  /** Stops fetching, waits for the batches being handled, commits what was resolved, leaves the group. */
  stop(): Promise<void>;
}
