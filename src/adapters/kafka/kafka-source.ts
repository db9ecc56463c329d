import { Kafka, logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import { kafkaConfig, type KafkaClientSettings, type KafkaLog } from './client-config';
import { kafkaLogCreator } from './kafka-log';
import type { SocketFactory } from './kafka-sockets';
import type { MessageSource, SourceBatch, SourceEvents } from './message-source';
import { StaleMemberEvictor } from './stale-member';

/**
 * kafkajs retries requests and reconnects with backoff up to 30 s by default, so the bridge rejoined ~30 s after a
 * broker came back. Retried at most 1 s apart, it rejoins within seconds; when no broker answers at all (or after
 * ~40 s of failures) the consumer restarts itself (kafkajs' restartOnFailure) as a new member and keeps trying.
 */
const KAFKA_RETRY = { initialRetryTime: 200, maxRetryTime: 1_000, retries: 40 };
const FETCH_MAX_WAIT_MS = 500;

/** What the source consumes, as whom, and how many partitions' batches it hands out at once. */
export interface KafkaSourceSettings {
  readonly kafka: KafkaClientSettings;
  readonly topic: string;
  readonly group: string;
  readonly partitionsConcurrently: number;
  readonly log: KafkaLog;
  /** The clients' sockets (default: kafkajs's own); the bridge's tracks them so none outlives it. */
  readonly socketFactory?: SocketFactory;
}

/**
 * The bridge's message source on kafkajs: one consumer of one topic in one group. Offsets are committed only when
 * resolved (eachBatchAutoResolve off); the group member a crashed consumer leaves behind is removed at once
 * (StaleMemberEvictor).
 */
export class KafkaMessageSource implements MessageSource {
  private readonly consumer: Consumer;
  private readonly evictor: StaleMemberEvictor;

  constructor(private readonly settings: KafkaSourceSettings) {
    const { kafka: config, log, socketFactory } = settings;
    const kafka = new Kafka(
      kafkaConfig(config, {
        logLevel: logLevel.WARN,
        logCreator: kafkaLogCreator(log),
        retry: KAFKA_RETRY,
        ...(socketFactory ? { socketFactory } : {}),
      }),
    );
    this.consumer = kafka.consumer({
      groupId: settings.group,
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
    this.evictor = new StaleMemberEvictor(config, settings.group, log, undefined, socketFactory);
  }

  async start(handle: (batch: SourceBatch) => Promise<void>, events: SourceEvents): Promise<void> {
    const { topic } = this.settings;
    const { events: on } = this.consumer;
    this.consumer.on(on.GROUP_JOIN, (e) => {
      this.evictor.joined(e.payload.memberId);
      events.joined(e.payload.memberAssignment[topic]?.length ?? 0);
    });
    this.consumer.on(on.REBALANCING, () => events.rebalancing());
    this.consumer.on(on.STOP, () => events.left());
    this.consumer.on(on.DISCONNECT, () => events.left());
    this.consumer.on(on.CRASH, (e) => {
      events.crashed(e.payload.error);
      this.evictor.crashed();
    });
    this.consumer.on(on.REQUEST_TIMEOUT, (e) =>
      events.requestFailed(new Error(`request timeout: ${e.payload.apiName}`)),
    );
    this.consumer.on(on.HEARTBEAT, () => events.answered());
    this.consumer.on(on.FETCH, () => events.answered());
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: true });
    // autoCommit commits only offsets the handler resolved (eachBatchAutoResolve is off): those handed over.
    // It commits after every batch and at least every second during a long one.
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.partitionsConcurrently,
      eachBatch: (payload) => handle(sourceBatch(payload)),
    });
  }

  resume(topic: string, partition: number): void {
    this.consumer.resume([{ topic, partitions: [partition] }]);
  }

  async stop(): Promise<void> {
    await this.evictor.stop();
    await this.consumer.disconnect();
  }
}

/** A kafkajs batch as the port's SourceBatch. */
function sourceBatch(payload: EachBatchPayload): SourceBatch {
  const { batch } = payload;
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: batch.messages,
    resolveOffset: (offset) => payload.resolveOffset(offset),
    commitIfDue: () => payload.commitOffsetsIfNecessary(),
    heartbeat: () => payload.heartbeat(),
    pause: () => void payload.pause(),
    isActive: () => payload.isRunning() && !payload.isStale(),
  };
}
