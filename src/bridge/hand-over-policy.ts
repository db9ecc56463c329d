import type { SourceBatch, SourceMessage } from '../adapters/kafka/message-source';
import { CircuitOpenError } from '../resilience/circuit-breaker';
import { Slots } from '../shared/slots';
import { HandedPrefix } from './handed-prefix';
import type { PartitionPauses } from './partition-pauses';

/** A message was not handed over because the bridge is stopping or lost the partition; it is fetched again. */
export class NotHandedOver extends Error {}

const HEARTBEAT_MS = 1_000;
const BACK_PRESSURE_POLL_MIN_MS = 100;
const BACK_PRESSURE_POLL_MAX_MS = 400;
/** A batch commits (when due) and heartbeats after every this many starts begun. */
const HOUSEKEEPING_EVERY = 10;

export interface HandOverSettings {
  /** Starts in flight at most, all batches together (BRIDGE_MAX_IN_FLIGHT): one set of Slots shared by them. */
  readonly maxInFlight: number;
  /** The partitions' pauses: resume timers and the stuck report. */
  readonly pauses: PartitionPauses;
  /** True once the bridge is stopping: nothing more is handed over. */
  readonly stopping: () => boolean;
  /** Back-pressure (BRIDGE_MAX_OPEN_WORKFLOWS): starts wait while it does not admit. */
  readonly admission?: { admits(): boolean };
  /** Why back-pressure holds starts back, for the pause's log line. */
  readonly heldBack?: string;
  readonly heartbeatMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * When a batch's messages count as handed over and what a partition does when one is not; no Kafka, no Temporal.
 *
 * A batch is handed over with a sliding window of starts in flight (a new one begins as soon as a slot is free), its
 * slots taken from one set of Slots of `maxInFlight` shared by the batches in progress, and the offset of the handed-over prefix is resolved as it grows: an offset is committed only once
 * every message up to it was accepted. A message not handed over ends the batch: nothing after it is resolved, so it
 * is fetched again (nothing is dropped); its partition alone is paused and resumed after a backoff (the others keep
 * flowing: kafkajs fetches again only when every batch of a fetch is done).
 */
export class HandOverPolicy {
  private readonly window: Slots;

  constructor(private readonly settings: HandOverSettings) {
    this.window = new Slots(settings.maxInFlight);
  }

  /** Hands `batch` over, one `handOver` per message; a rejection of `handOver` means "not handed over". */
  async batch(batch: SourceBatch, handOver: (message: SourceMessage) => Promise<unknown>): Promise<void> {
    const { pauses } = this.settings;
    const { window } = this;
    const { topic, partition, messages } = batch;
    const prefix = new HandedPrefix(messages.length);
    const active = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    // kafkajs heartbeats only when asked: keep the membership alive while starts are slow (up to their deadline).
    const beat = setInterval(
      () => void batch.heartbeat().catch(() => undefined),
      this.settings.heartbeatMs ?? HEARTBEAT_MS,
    );
    try {
      for (const [i, message] of messages.entries()) {
        if (failure || !this.handsOver(batch)) break;
        await window.acquire();
        if (failure || !this.handsOver(batch)) {
          window.release();
          break;
        }
        const task: Promise<void> = begin(handOver, message).then(
          () => {
            // The last message of the handed-over prefix; none (index -1) when an earlier one is not handed over yet.
            const last = messages[prefix.handedOver(i)];
            if (!last) return; // no progress
            batch.resolveOffset(last.offset);
            pauses.succeeded(topic, partition);
          },
          (error: unknown) => {
            failure ??= { error };
          },
        );
        const tracked = task.finally(() => {
          window.release();
          active.delete(tracked);
        });
        active.add(tracked);
        if (i % HOUSEKEEPING_EVERY === HOUSEKEEPING_EVERY - 1) {
          await batch.commitIfDue();
          await batch.heartbeat();
        }
      }
      await Promise.all(active);
    } finally {
      clearInterval(beat);
    }
    await batch.commitIfDue();
    await batch.heartbeat();
    if (failure && !(failure.error instanceof NotHandedOver) && this.handsOver(batch))
      this.paused(batch, failure.error);
  }

  /**
   * Waits while back-pressure holds starts back (the partition counts as paused meanwhile, without failing); throws
   * NotHandedOver once the bridge stops or loses the partition. Called before every start attempt.
   */
  async admitted(batch: SourceBatch): Promise<void> {
    const { admission, pauses } = this.settings;
    const sleep = this.settings.sleep ?? wait;
    let delay = BACK_PRESSURE_POLL_MIN_MS;
    while (admission && !admission.admits()) {
      if (!this.handsOver(batch)) throw new NotHandedOver('stopping');
      if (delay === BACK_PRESSURE_POLL_MIN_MS) batch.pause();
      pauses.paused(batch.topic, batch.partition, this.settings.heldBack ?? 'back-pressure');
      await sleep(delay);
      delay = Math.min(delay * 2, BACK_PRESSURE_POLL_MAX_MS);
      await batch.heartbeat();
    }
    if (!this.handsOver(batch)) throw new NotHandedOver('stopping');
  }

  private handsOver(batch: SourceBatch): boolean {
    return !this.settings.stopping() && batch.isActive();
  }

  /** Only this partition waits: the batch ends here, so kafkajs fetches again for the others. */
  private paused(batch: SourceBatch, error: unknown): void {
    const { pauses } = this.settings;
    const { topic, partition } = batch;
    batch.pause();
    const why =
      error instanceof CircuitOpenError
        ? 'the temporal circuit breaker is open'
        : `a message could not be handed over (${String(error)})`;
    pauses.paused(topic, partition, why);
    pauses.resumeAfter(topic, partition, pauses.failed(topic, partition, error));
  }
}

/** The start of one hand-over; one that throws at once fails like one that rejects. */
function begin(handOver: (message: SourceMessage) => Promise<unknown>, message: SourceMessage): Promise<unknown> {
  try {
    return handOver(message);
  } catch (error) {
    return Promise.reject(error);
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
