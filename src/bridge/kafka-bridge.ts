import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage } from 'kafkajs';
import { kafkaConfig } from '../config/connections';
import type { ClaimCheck, IngestXactInput } from '../shared/pipeline-types';
import { CircuitOpenError } from '../resilience/circuit-breaker';
import type { BridgeDeps } from './bridge-deps';
import { fitInput, inputBytes } from './claim-check';
import { HandedPrefix } from './handed-prefix';
import { kafkaLogCreator } from './kafka-log';
import { PartitionPauses, type StuckPartition } from './partition-pauses';
import { StaleMemberEvictor } from './stale-member';
import { invalid, toStartRequest, type StartRequest } from './start-request';
import { startWorkflow, StartRejectedError, StartThrottledError, type StartOutcome } from './workflow-starter';

const HEARTBEAT_MS = 1_000;
const FETCH_MAX_WAIT_MS = 500;

/**
 * kafkajs retries requests and reconnects with backoff up to 30 s by default, so the bridge rejoined ~30 s after a
 * broker came back. Retried at most 1 s apart, it rejoins within seconds; when no broker answers at all (or after
 * ~40 s of failures) the consumer restarts itself (kafkajs' restartOnFailure) as a new member and keeps trying.
 */
const KAFKA_RETRY = { initialRetryTime: 200, maxRetryTime: 1_000, retries: 40 };

/** A message was not handed over because the bridge is stopping or lost the partition; it is fetched again. */
class NotHandedOver extends Error {}

const BACK_PRESSURE_POLL_MIN_MS = 100;
const BACK_PRESSURE_POLL_MAX_MS = 2_000;
/** A start Temporal rejects is turned into a claim check or a DLQ entry at most this often per message. */
const MAX_REJECTIONS = 2;

/**
 * Kafka → Temporal: one workflow start per message, offsets committed only after every earlier message of the
 * partition was handed to Temporal (started, or recognised as a duplicate). A message that cannot be handed over
 * ends its partition's batch: that partition alone is paused and tried again after a backoff, the others keep
 * flowing (kafkajs fetches again only when every batch of a fetch is done); nothing is skipped. Lifecycle:
 * start / stop.
 */
export class KafkaBridge {
  private readonly consumer: Consumer;
  private readonly pauses: PartitionPauses;
  private readonly evictor: StaleMemberEvictor;
  private stopping = false;
  private member = false;
  private stuckTimer?: NodeJS.Timeout;

  constructor(private readonly deps: BridgeDeps) {
    const { config } = deps;
    const kafka = new Kafka(
      kafkaConfig(config, {
        logLevel: logLevel.WARN,
        logCreator: kafkaLogCreator(deps.log),
        retry: KAFKA_RETRY,
        ...(deps.socketFactory ? { socketFactory: deps.socketFactory } : {}),
      }),
    );
    this.consumer = kafka.consumer({
      groupId: config.consumerGroup,
      allowAutoTopicCreation: false,
      // After a broker restart kafkajs rejoins as a new member; the old one is removed at once (StaleMemberEvictor),
      // else the group would wait for its session to expire: 10 s (not 30) bounds that. Heartbeats go every second.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      // A resumed partition is fetched only by the next fetch: with every partition paused kafkajs sleeps this
      // long between fetches, else a fetch waits this long for data. 5 s by default, which held resumption after
      // a Temporal outage up to 5.6 s; 500 ms costs two idle fetches a second.
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    });
    this.pauses = new PartitionPauses(
      (topic, partition) => this.consumer.resume([{ topic, partitions: [partition] }]),
      deps.metrics,
      deps.log,
      config.bridgeStuckPartitionS * 1000,
    );
    this.evictor = new StaleMemberEvictor(config, config.consumerGroup, deps.log, undefined, deps.socketFactory);
  }

  async start(): Promise<void> {
    const { config, metrics, breakers } = this.deps;
    const { events } = this.consumer;
    const membership = (member: boolean) => {
      this.member = member;
      metrics.connected('consumer', member);
    };
    this.consumer.on(events.GROUP_JOIN, (e) => {
      const assigned = e.payload.memberAssignment[config.eventsTopic]?.length ?? 0;
      metrics.assignedPartitions(assigned);
      membership(true);
      this.evictor.joined(e.payload.memberId);
      this.deps.log.info('joined consumer group', { group: config.consumerGroup, assigned_partitions: assigned });
    });
    this.consumer.on(events.REBALANCING, () => {
      membership(false);
      this.pauses.resumeAll();
    });
    this.consumer.on(events.STOP, () => membership(false));
    this.consumer.on(events.DISCONNECT, () => membership(false));
    this.consumer.on(events.CRASH, (e) => {
      membership(false);
      breakers.kafka.record(e.payload.error);
      this.evictor.crashed();
    });
    this.consumer.on(events.REQUEST_TIMEOUT, (e) =>
      breakers.kafka.record(new Error(`request timeout: ${e.payload.apiName}`)),
    );
    this.consumer.on(events.HEARTBEAT, () => breakers.kafka.record());
    this.consumer.on(events.FETCH, () => breakers.kafka.record());
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: config.eventsTopic, fromBeginning: true });
    // autoCommit commits only offsets we resolved (eachBatchAutoResolve is off): those handed to Temporal.
    // It commits after every batch and at least every second during a long one.
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: config.bridgePartitionsConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.stuckTimer = setInterval(() => metrics.stuck(this.pauses.stuck().length), 1_000);
    this.stuckTimer.unref();
  }

  /** Stops fetching, lets in-flight starts finish, commits what was handed over, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.stuckTimer);
    await this.evictor.stop();
    await this.consumer.disconnect();
    this.pauses.clear();
    this.member = false;
    this.deps.metrics.connected('consumer', false);
  }

  /** True while this process is a member of the consumer group (joined, not rebalancing, not crashed). */
  isGroupMember(): boolean {
    return this.member;
  }

  /** Partitions that have failed to hand a message over for longer than BRIDGE_STUCK_PARTITION_S. */
  stuckPartitions(): StuckPartition[] {
    return this.pauses.stuck();
  }

  /**
   * Hands a partition's batch over with a sliding window of at most BRIDGE_MAX_IN_FLIGHT / partitions starts in
   * flight (a new one begins as soon as any finishes, not when a whole chunk has), and resolves the offset of the
   * handed-over prefix as it grows. A message not handed over ends the batch: nothing after it is resolved, so it is
   * fetched again; on a failure the partition is paused and resumed after a backoff.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition, messages } = batch;
    const window = Math.max(
      1,
      Math.floor(this.deps.config.bridgeMaxInFlight / this.deps.config.bridgePartitionsConcurrently),
    );
    const prefix = new HandedPrefix(messages.length);
    const active = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    // kafkajs heartbeats only when asked: keep the membership alive while starts are slow (up to their deadline).
    const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
    try {
      for (let i = 0; i < messages.length && !failure; i++) {
        if (this.stopping || !isRunning() || isStale()) break;
        if (active.size >= window) await Promise.race(active);
        if (failure) break;
        const task: Promise<void> = this.handOver(topic, partition, messages[i], payload).then(
          () => {
            const last = prefix.handedOver(i);
            if (last < 0) return; // an earlier message is not handed over (yet): no progress
            resolveOffset(messages[last].offset);
            this.pauses.succeeded(topic, partition);
          },
          (error: unknown) => {
            failure ??= { error };
          },
        );
        const tracked = task.finally(() => active.delete(tracked));
        active.add(tracked);
        if (i % window === window - 1) {
          await commitOffsetsIfNecessary();
          await heartbeat();
        }
      }
      await Promise.all(active);
    } finally {
      clearInterval(beat);
    }
    await commitOffsetsIfNecessary();
    await heartbeat();
    if (failure && !(failure.error instanceof NotHandedOver) && !this.stopping && isRunning() && !isStale()) {
      // Only this partition waits: the batch ends here, so kafkajs fetches again for the others.
      payload.pause();
      const why =
        failure.error instanceof CircuitOpenError
          ? 'the temporal circuit breaker is open'
          : `a message could not be handed over (${String(failure.error)})`;
      this.pauses.paused(topic, partition, why);
      this.pauses.resumeAfter(topic, partition, this.pauses.failed(topic, partition, failure.error));
    }
  }

  /**
   * Hands one message to Temporal: one start attempt (after waiting out back-pressure). An input too large for
   * Temporal is stored as a claim check first; an input Temporal rejects becomes a claim check or a DLQ entry.
   * Throws when the message was not handed over; the caller pauses the partition and it is tried again.
   */
  private async handOver(
    topic: string,
    partition: number,
    message: KafkaMessage,
    payload: EachBatchPayload,
  ): Promise<StartOutcome> {
    const { config, metrics, log, breakers, store } = this.deps;
    const fetchedAt = performance.now();
    let req = await fitInput(
      (this.deps.toStart ?? toStartRequest)(config, topic, partition, message),
      message,
      store,
      config.bridgeMaxInputBytes,
    );
    for (let rejections = 0; ; ) {
      await this.admitted(topic, partition, payload);
      try {
        const started = performance.now();
        const { outcome, eagerly } = await breakers.temporal.run(() =>
          startWorkflow(this.deps.client, config.taskQueue, req, this.deps.eagerStart),
        );
        metrics.workflowStart(outcome, req.kind, (performance.now() - started) / 1000);
        if (outcome === 'started') {
          this.deps.admission?.started();
          if (this.deps.eagerStart) metrics.eagerStart(eagerly);
        }
        metrics.consumed(
          req.kind === 'invalid' ? 'invalid' : outcome === 'duplicate' ? 'duplicate' : 'success',
          (performance.now() - fetchedAt) / 1000,
        );
        const claim = claimCheckOf(req);
        if (outcome === 'duplicate')
          log.info('duplicate delivery: workflow already exists, nothing started', logFields(req, partition, message));
        else if (req.kind === 'invalid')
          log.warn('invalid message sent to the DLQ', logFields(req, partition, message));
        else if (claim)
          log.info('large event started with a claim check', {
            ...logFields(req, partition, message),
            bytes: claim.bytes,
            claim_check: claim.path,
          });
        return outcome;
      } catch (err) {
        metrics.workflowStart('error', req.kind, 0);
        metrics.processingError(errorCategory(err));
        if (err instanceof StartRejectedError && rejections++ < MAX_REJECTIONS) {
          // Temporal will never accept this input: a smaller one (claim check) or a visible DLQ entry instead.
          req =
            req.kind === 'event' && err.tooLarge && !claimCheckOf(req)
              ? await fitInput(req, message, store, inputBytes(req) - 1) // smaller than the input refused
              : await fitInput(
                  invalid(req.args[0].source, message, `Temporal rejected the start: ${err.message}`, req.domain),
                  message,
                  store,
                  req.kind === 'invalid' ? 0 : config.bridgeMaxInputBytes,
                );
          log.warn('Temporal rejected a start; sending a smaller input', {
            ...logFields(req, partition, message),
            error: err.message,
            kind: req.kind,
          });
          continue;
        }
        throw err;
      }
    }
  }

  /** Waits while back-pressure holds starts back (the partition counts as paused meanwhile). */
  private async admitted(topic: string, partition: number, payload: EachBatchPayload): Promise<void> {
    const { admission, config } = this.deps;
    let delay = BACK_PRESSURE_POLL_MIN_MS;
    while (admission && !admission.admits()) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) throw new NotHandedOver('stopping');
      if (delay === BACK_PRESSURE_POLL_MIN_MS) payload.pause();
      this.pauses.paused(
        topic,
        partition,
        `${config.bridgeMaxOpenWorkflows} or more workflows running (BRIDGE_MAX_OPEN_WORKFLOWS)`,
      );
      await sleep(delay);
      delay = Math.min(delay * 2, BACK_PRESSURE_POLL_MAX_MS);
      await payload.heartbeat();
    }
    if (this.stopping || !payload.isRunning() || payload.isStale()) throw new NotHandedOver('stopping');
  }
}

/** The claim check a request carries (a large event), if any. */
function claimCheckOf(req: StartRequest): ClaimCheck | undefined {
  return req.kind === 'event' ? (req.args[0] as IngestXactInput).claimCheck : undefined;
}

function errorCategory(err: unknown): string {
  if (err instanceof StartRejectedError) return 'start_rejected';
  if (err instanceof StartThrottledError) return 'temporal_throttled';
  if (err instanceof CircuitOpenError) return 'circuit_open';
  return 'temporal_unavailable';
}

function logFields(req: StartRequest, partition: number, message: KafkaMessage): Record<string, unknown> {
  return { workflow_id: req.workflowId, trace_id: req.traceId, partition, offset: message.offset };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
