import { kafkaConfig } from '../adapters/connections';
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage } from 'kafkajs';
import type { Client } from '@temporalio/client';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { Config } from '../config/config';
import type { InvalidMessageInput } from '../shared/pipeline-types';
import type { Logger } from '../observability/logger';
import {
  breakerSettings,
  CircuitOpenError,
  type CircuitBreaker,
  type CircuitBreakers,
} from '../adapters/circuit-breaker';
import type { BridgeMetrics } from './bridge-metrics';
import { invalid, MAX_INLINE_PAYLOAD_BYTES, toStartRequest, type StartRequest } from './start-request';
import { startWorkflow, StartRejectedError, type StartOutcome } from './workflow-starter';

export interface BridgeDeps {
  readonly config: Config;
  readonly client: Client;
  readonly store: ObjectStore;
  readonly log: Logger;
  readonly metrics: BridgeMetrics;
  /** `temporal` wraps every start; `kafka` counts the consumer's request failures (for the breaker metrics). */
  readonly breakers: { readonly temporal: CircuitBreaker; readonly kafka: CircuitBreaker };
  /** Back-pressure (BRIDGE_MAX_OPEN_WORKFLOWS): starts wait while `admits()` is false; `started()` counts a start. */
  readonly admission?: { admits(): boolean; started(): void };
}

/** The bridge's breakers, from BREAKER_* settings: `temporal` (workflow starts) and `kafka_consumer`. */
export function bridgeBreakers(breakers: CircuitBreakers, config: Config): BridgeDeps['breakers'] {
  const settings = breakerSettings(config);
  return { temporal: breakers.get('temporal', settings), kafka: breakers.get('kafka_consumer', settings) };
}

/** Starts wait because the workers are behind; not an error, the backlog just stays in Kafka. */
class BackPressure extends Error {}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * Kafka → Temporal: one workflow start per message, offsets committed only after every earlier message of the
 * partition was handed to Temporal (started, or recognised as a duplicate). While Temporal is unavailable the
 * partition is paused and the start retried with backoff; nothing is skipped. Lifecycle: start / stop.
 */
export class KafkaBridge {
  private readonly consumer: Consumer;
  private stopping = false;
  private pausedPartitions = new Set<string>();
  private member = false;

  constructor(private readonly deps: BridgeDeps) {
    const { config } = deps;
    const kafka = new Kafka(kafkaConfig(config, { logLevel: logLevel.WARN, logCreator: kafkaLogCreator(deps.log) }));
    this.consumer = kafka.consumer({
      groupId: config.consumerGroup,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
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
      this.deps.log.info('joined consumer group', { group: config.consumerGroup, assigned_partitions: assigned });
    });
    this.consumer.on(events.REBALANCING, () => membership(false));
    this.consumer.on(events.STOP, () => membership(false));
    this.consumer.on(events.DISCONNECT, () => membership(false));
    this.consumer.on(events.CRASH, (e) => {
      membership(false);
      breakers.kafka.record(e.payload.error);
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
  }

  /** Stops fetching, lets in-flight starts finish, commits what was handed over, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    this.member = false;
    this.deps.metrics.connected('consumer', false);
  }

  /** True while this process is a member of the consumer group (joined, not rebalancing, not crashed). */
  isGroupMember(): boolean {
    return this.member;
  }

  /**
   * Hands a partition's batch over with a sliding window of at most BRIDGE_MAX_IN_FLIGHT / partitions starts in
   * flight (a new one begins as soon as any finishes, not when a whole chunk has), and resolves the offset of the
   * handed-over prefix as it grows. A message not handed over (the bridge stops, or the partition was revoked) ends
   * the batch: nothing after it is resolved, so it is fetched again.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const window = Math.max(
      1,
      Math.floor(this.deps.config.bridgeMaxInFlight / this.deps.config.bridgePartitionsConcurrently),
    );
    const { messages } = batch;
    const handed: boolean[] = new Array<boolean>(messages.length).fill(false);
    const active = new Set<Promise<void>>();
    let prefix = 0; // messages[0..prefix) are handed over and resolved
    let failed = false;
    for (let i = 0; i < messages.length && !failed; i++) {
      if (this.stopping || !isRunning() || isStale()) break;
      if (active.size >= window) await Promise.race(active);
      if (failed) break;
      const task: Promise<void> = this.handOver(batch.topic, batch.partition, messages[i], payload).then(
        () => {
          handed[i] = true;
          const before = prefix;
          while (prefix < messages.length && handed[prefix]) prefix++;
          if (prefix > before) resolveOffset(messages[prefix - 1].offset);
        },
        () => {
          failed = true;
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
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  /** Hands one message to Temporal, retrying (partition paused) until it is accepted or the bridge stops. */
  private async handOver(
    topic: string,
    partition: number,
    message: KafkaMessage,
    payload: EachBatchPayload,
  ): Promise<StartOutcome> {
    const { config, metrics, log, breakers } = this.deps;
    const fetchedAt = performance.now();
    let req = toStartRequest(config, topic, partition, message);
    if (req.kind === 'invalid') req = await this.storeLargePayload(req, message);
    let delay = RETRY_MIN_MS;
    for (;;) {
      try {
        if (this.deps.admission && !this.deps.admission.admits()) throw new BackPressure('too many workflows running');
        const started = performance.now();
        const outcome = await breakers.temporal.run(() => startWorkflow(this.deps.client, config.taskQueue, req));
        metrics.workflowStart(outcome, req.kind, (performance.now() - started) / 1000);
        if (outcome === 'started') this.deps.admission?.started();
        metrics.consumed(
          req.kind === 'invalid' ? 'invalid' : outcome === 'duplicate' ? 'duplicate' : 'success',
          (performance.now() - fetchedAt) / 1000,
        );
        this.resumeIfPaused(topic, partition);
        if (outcome === 'duplicate')
          log.info('duplicate delivery: workflow already exists, nothing started', logFields(req, partition, message));
        else if (req.kind === 'invalid')
          log.warn('invalid message sent to the DLQ', logFields(req, partition, message));
        return outcome;
      } catch (err) {
        if (err instanceof StartRejectedError && req.kind === 'event') {
          metrics.processingError('start_rejected');
          // Temporal will never accept this input (e.g. too large): it becomes a visible DLQ entry instead.
          req = await this.storeLargePayload(
            invalid(req.args[0].source, message, `Temporal rejected the start: ${err.message}`),
            message,
          );
          continue;
        }
        if (!(err instanceof BackPressure)) {
          metrics.workflowStart('error', req.kind, 0);
          metrics.processingError(err instanceof CircuitOpenError ? 'circuit_open' : 'temporal_unavailable');
        }
        if (this.stopping || !payload.isRunning() || payload.isStale()) throw err;
        this.pause(topic, partition, payload, err);
        await sleep(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        await payload.heartbeat();
      }
    }
  }

  private pause(topic: string, partition: number, payload: EachBatchPayload, err: unknown): void {
    const id = `${topic}/${partition}`;
    if (!this.pausedPartitions.has(id)) {
      this.pausedPartitions.add(id);
      payload.pause();
      this.deps.metrics.paused(this.pausedPartitions.size);
      const why =
        err instanceof BackPressure
          ? `${this.deps.config.bridgeMaxOpenWorkflows} or more workflows running (BRIDGE_MAX_OPEN_WORKFLOWS)`
          : 'Temporal did not accept a start';
      this.deps.log.warn(`${why}; partition paused, retrying`, { topic, partition, error: String(err) });
    }
  }

  private resumeIfPaused(topic: string, partition: number): void {
    const id = `${topic}/${partition}`;
    if (this.pausedPartitions.delete(id)) {
      this.consumer.resume([{ topic, partitions: [partition] }]);
      this.deps.metrics.paused(this.pausedPartitions.size);
      this.deps.log.info('starts accepted again; partition resumed', { topic, partition });
    }
  }

  /** An invalid payload too large for a workflow input is kept whole in the lakehouse; the input points to it. */
  private async storeLargePayload(req: StartRequest, message: KafkaMessage): Promise<StartRequest> {
    const [input] = req.args as [InvalidMessageInput];
    if (input.payloadBytes <= MAX_INLINE_PAYLOAD_BYTES) return req;
    const path = `Files/quarantine/${input.source.topic}/${input.source.partition}/${input.source.offset}.bin`;
    await this.deps.store.put(path, message.value ?? Buffer.alloc(0));
    const head = input.payload.slice(0, 4096);
    return { ...req, args: [{ ...input, payload: head, storedAt: path }] };
  }
}

function logFields(req: StartRequest, partition: number, message: KafkaMessage): Record<string, unknown> {
  return { workflow_id: req.workflowId, trace_id: req.traceId, partition, offset: message.offset };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function kafkaLogCreator(log: Logger) {
  return () =>
    ({ level, log: entry }: { level: number; log: { message: string } & Record<string, unknown> }) => {
      const { message, ...rest } = entry;
      if (level <= logLevel.ERROR) log.error(`kafkajs: ${message}`, rest);
      else if (level === logLevel.WARN) log.warn(`kafkajs: ${message}`, rest);
    };
}
