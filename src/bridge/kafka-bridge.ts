import type { MessageSource, SourceBatch, SourceEvents, SourceMessage } from '../adapters/kafka/message-source';
import { CircuitOpenError } from '../resilience/circuit-breaker';
import type { StartRequest } from '../domains/start-request';
import type { BridgeDeps } from './bridge-deps';
import { fitInput } from './claim-check';
import { HandOverPolicy } from './hand-over-policy';
import { PartitionPauses, type StuckPartition } from './partition-pauses';
import { claimCheckOf, refusedInput } from './refused-start';
import { startWorkflow, StartRejectedError, StartThrottledError, type StartOutcome } from './workflow-starter';

/** A start Temporal rejects is turned into a claim check or a DLQ entry at most this often per message. */
const MAX_REJECTIONS = 2;

/**
 * Kafka → Temporal: one workflow start per message of the source, offsets committed only after every earlier message
 * of the partition was handed to Temporal (started, or recognised as a duplicate); when a message counts as handed
 * over and what its partition does when it is not is the HandOverPolicy's. Lifecycle: start / stop.
 */
export class KafkaBridge {
  private readonly pauses: PartitionPauses;
  private readonly policy: HandOverPolicy;
  private stopping = false;
  private member = false;
  private stuckTimer?: NodeJS.Timeout;

  constructor(
    private readonly deps: BridgeDeps,
    private readonly source: MessageSource,
  ) {
    const { config } = deps;
    this.pauses = new PartitionPauses(
      (topic, partition) => source.resume(topic, partition),
      deps.metrics,
      deps.log,
      config.bridgeStuckPartitionS * 1000,
    );
    this.policy = new HandOverPolicy({
      maxInFlight: config.bridgeMaxInFlight,
      pauses: this.pauses,
      stopping: () => this.stopping,
      admission: deps.admission,
      heldBack: `${config.bridgeMaxOpenWorkflows} or more workflows running (BRIDGE_MAX_OPEN_WORKFLOWS)`,
    });
  }

  async start(): Promise<void> {
    await this.source.start(
      (batch) => this.policy.batch(batch, (message) => this.handOver(batch, message)),
      this.sourceEvents(),
    );
    this.stuckTimer = setInterval(() => this.deps.metrics.stuck(this.pauses.stuck().length), 1_000);
    this.stuckTimer.unref();
  }

  /** Stops fetching, lets in-flight starts finish, commits what was handed over, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.stuckTimer);
    await this.source.stop();
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

  /** Membership, metrics and the `kafka` breaker from what happens to the source. */
  private sourceEvents(): SourceEvents {
    const { config, metrics, breakers, log } = this.deps;
    const membership = (member: boolean) => {
      this.member = member;
      metrics.connected('consumer', member);
    };
    return {
      joined: (assigned) => {
        metrics.assignedPartitions(assigned);
        membership(true);
        log.info('joined consumer group', { group: config.consumerGroup, assigned_partitions: assigned });
      },
      rebalancing: () => {
        membership(false);
        this.pauses.resumeAll();
      },
      left: () => membership(false),
      crashed: (error) => {
        membership(false);
        breakers.kafka.record(error);
      },
      requestFailed: (error) => breakers.kafka.record(error),
      answered: () => breakers.kafka.record(),
    };
  }

  /**
   * Hands one message to Temporal: one start attempt (after waiting out back-pressure). An input too large for
   * Temporal is stored as a claim check first; an input Temporal rejects becomes a claim check or a DLQ entry.
   * Throws when the message was not handed over; the policy pauses the partition and it is tried again.
   */
  private async handOver(batch: SourceBatch, message: SourceMessage): Promise<StartOutcome> {
    const { config, metrics, log, breakers, store } = this.deps;
    const { topic, partition } = batch;
    const fetchedAt = performance.now();
    let req = await fitInput(
      this.deps.toStart(config, topic, partition, message),
      message,
      store,
      config.bridgeMaxInputBytes,
    );
    for (let rejections = 0; ; ) {
      await this.policy.admitted(batch);
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
          req = await refusedInput(req, message, store, err, config.bridgeMaxInputBytes);
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
}

function errorCategory(err: unknown): string {
  if (err instanceof StartRejectedError) return 'start_rejected';
  if (err instanceof StartThrottledError) return 'temporal_throttled';
  if (err instanceof CircuitOpenError) return 'circuit_open';
  return 'temporal_unavailable';
}

function logFields(req: StartRequest, partition: number, message: SourceMessage): Record<string, unknown> {
  return { workflow_id: req.workflowId, trace_id: req.traceId, partition, offset: message.offset };
}
