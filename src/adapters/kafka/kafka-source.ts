import { Kafka, logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import { WakeableDelay } from '../../shared/wakeable-delay';
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

/** The source restarts a consumer kafkajs gave up on after waiting this long, doubling up to the maximum. */
const RESTART_DELAY_MS = { first: 200, max: 5_000 };

/**
 * The bridge's message source on kafkajs: one consumer of one topic in one group. Offsets are committed only when
 * resolved (eachBatchAutoResolve off); the group member a crashed consumer leaves behind is removed at once
 * (StaleMemberEvictor).
 *
 * kafkajs restarts a crashed consumer only when it deems the error retriable. Some crashes a broker outage causes are
 * not (KafkaJSGroupCoordinatorNotFound when the coordinator lookup meets a refused connection, tulios/kafkajs#1630):
 * kafkajs then stays stopped for good while the process looks alive. The source restarts such a consumer itself,
 * with backoff, until it runs again or the source is stopped.
 */
export class KafkaMessageSource implements MessageSource {
  private readonly consumer: Consumer;
  private readonly evictor: StaleMemberEvictor;
  private handle?: (batch: SourceBatch) => Promise<void>;
  private stopped = false;
  /** A crash kafkajs will not restart from happened and no run has begun since. */
  private needsRestart = false;
  private restarting?: Promise<void>;
  private readonly backoff = new WakeableDelay();

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
      if (!e.payload.restart) this.restartLater(e.payload.error);
    });
    this.consumer.on(on.REQUEST_TIMEOUT, (e) =>
      events.requestFailed(new Error(`request timeout: ${e.payload.apiName}`)),
    );
    this.consumer.on(on.HEARTBEAT, () => events.answered());
    this.consumer.on(on.FETCH, () => events.answered());
    this.handle = handle;
    await this.run();
  }

  private async run(): Promise<void> {
    const handle = this.handle!;
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.settings.topic, fromBeginning: true });
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

  /** kafkajs stopped the consumer for good after `error` (by then it has disconnected it): run it again. */
  private restartLater(error: Error): void {
    if (this.stopped) return;
    this.needsRestart = true;
    this.settings.log.warn('the Kafka consumer stopped after an error kafkajs does not retry; restarting it', {
      group: this.settings.group,
      error: `${error.name}: ${error.message}`,
    });
    this.restarting ??= this.restartUntilRunning().finally(() => (this.restarting = undefined));
  }

  private async restartUntilRunning(): Promise<void> {
    for (let delay = RESTART_DELAY_MS.first; this.needsRestart && !this.stopped; ) {
      await this.backoff.wait(delay);
      if (this.stopped) return;
      this.needsRestart = false; // a crash during this run (no broker yet) sets it again
      try {
        await this.run();
        if (this.stopped) await this.consumer.disconnect(); // stop() came while it was connecting
      } catch (err) {
        this.needsRestart = true;
        this.settings.log.debug('the Kafka consumer could not start again yet', {
          group: this.settings.group,
          error: (err as Error).message,
        });
        await this.consumer.disconnect().catch(() => undefined);
      }
      if (this.needsRestart) delay = Math.min(delay * 2, RESTART_DELAY_MS.max);
      else this.settings.log.info('the Kafka consumer runs again', { group: this.settings.group });
    }
  }

  resume(topic: string, partition: number): void {
    this.consumer.resume([{ topic, partitions: [partition] }]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.backoff.wake(); // a restart waiting for its delay ends; one connecting disconnects once connected
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
