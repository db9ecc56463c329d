import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type IHeaders, type Producer } from 'kafkajs';
import { Client, Connection, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { Registry } from 'prom-client';
import { temporalDataConverter } from '../../src/codec/data-converter';
import { FAST_RECONNECT_CHANNEL_ARGS } from '../../src/wiring/temporal';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import type { ObjectStore } from '../../src/adapters/storage/object-store';
import { dlqTables } from '../../src/config/settings';
import { DlqService } from '../../src/dlq/dlq-service';
import { BridgeMetrics } from '../../src/bridge/bridge-metrics';
import { bridgeDomain, bridgeOf, domainConfig } from '../../src/bridge/domains';
import { bridgeBreakers, bridgeSource } from '../../src/bridge/bridge-deps';
import { KafkaBridge } from '../../src/bridge/kafka-bridge';
import type { StartRequestOf } from '../../src/domains/start-request';
import { CircuitBreakers } from '../../src/resilience/circuit-breaker';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger } from '../../src/observability/logger';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { createPipelineWorker, type PipelineWorker } from '../../src/worker/create-worker';
import { KAFKA_BROKER, TEMPORAL_ADDRESS, createTopic } from './stack';

export interface RunOutcome {
  readonly status: 'completed' | 'failed';
  readonly result?: unknown;
  readonly failureType?: string;
  readonly message?: string;
  readonly details?: unknown[];
  readonly searchAttributes: Record<string, unknown>;
}

export interface HarnessOptions {
  /** false: start without the bridge (see startBridge). */
  readonly bridge?: boolean;
  /** false: start without the in-process worker (see startWorker). */
  readonly worker?: boolean;
  /** Topic-level configuration of the harness's topic (e.g. max.message.bytes). */
  readonly topicConfig?: { name: string; value: string }[];
  /** Wraps the bridge's object store (e.g. to inject storage faults). */
  readonly bridgeStore?: (store: ObjectStore) => ObjectStore;
  /** The registered domain the bridge consumes for (default: the one BRIDGE_DOMAIN names). */
  readonly domain?: string;
  /** Wraps the domain's start requests (e.g. to make starts Temporal rejects). */
  readonly toStart?: (inner: StartRequestOf) => StartRequestOf;
}

/**
 * The real pipeline in-process against the real local stack, isolated per harness: its own topic, consumer
 * group, task queue, lakehouse folder and sample file server.
 */
export class PipelineHarness {
  readonly logs: string[] = [];
  readonly registry = new Registry();
  private producer!: Producer;
  private pipelineWorker?: PipelineWorker;
  private workerRun?: Promise<void>;
  private connection!: Connection;
  bridge!: KafkaBridge;
  client!: Client;
  config!: Config;
  sample!: FileServerStandin;
  lakehouse!: string;
  topic!: string;

  static async start(overrides: Record<string, string> = {}, opts: HarnessOptions = {}): Promise<PipelineHarness> {
    const h = new PipelineHarness();
    h.options = opts;
    await h.init(overrides, opts.bridge ?? true);
    return h;
  }

  private options: HarnessOptions = {};

  private async init(overrides: Record<string, string>, withBridge: boolean): Promise<void> {
    const id = randomUUID().slice(0, 8);
    this.topic = `xact.events.test-${id}`;
    this.lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-'));
    this.sample = await startFileServerStandin();
    const kafka = new Kafka({ clientId: 'pipeline-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
    await createTopic(this.topic, 6, this.options.topicConfig ?? []);
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await this.producer.connect();
    this.config = loadConfig({
      KAFKA_BROKERS: KAFKA_BROKER,
      TEMPORAL_ADDRESS,
      XACT_EVENTS_TOPIC: this.topic,
      XACT_CONSUMER_GROUP: `test-${id}`,
      // With BRIDGE_DOMAIN=claimx the bridge consumes the same topic and group as claimx's.
      CLAIMX_EVENTS_TOPIC: this.topic,
      CLAIMX_CONSUMER_GROUP: `test-${id}`,
      TEMPORAL_TASK_QUEUE: `test-${id}`,
      LAKEHOUSE_DIR: this.lakehouse,
      METRICS_PORT: '0',
      ALLOWED_ATTACHMENT_DOMAINS: '127.0.0.1',
      DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
      DOWNLOAD_ALLOW_LOOPBACK: 'true',
      RETRY_INITIAL_INTERVAL_S: '1',
      RETRY_BACKOFF: '1',
      RETRY_MAX_INTERVAL_S: '1',
      RETRY_MAX_ATTEMPTS: '4',
      DELTA_COMMIT_INTERVAL_MS: '0',
      ...overrides,
    });
    this.connection = await Connection.connect({ address: TEMPORAL_ADDRESS, channelArgs: FAST_RECONNECT_CHANNEL_ARGS });
    this.client = new Client({ connection: this.connection, dataConverter: temporalDataConverter(this.config) });
    if (this.options.worker ?? true) await this.startWorker();
    if (withBridge) await this.startBridge();
  }

  /** Starts the in-process worker (when the harness was started without it). */
  async startWorker(): Promise<void> {
    this.pipelineWorker = await createPipelineWorker(this.config);
    this.workerRun = this.pipelineWorker.worker.run();
  }

  /** Stops the in-process worker (startWorker starts a new one). */
  async stopWorker(): Promise<void> {
    const worker = this.pipelineWorker;
    this.pipelineWorker = undefined;
    worker?.worker.shutdown();
    await this.workerRun;
    this.workerRun = undefined;
    await worker?.connection.close();
  }

  /** Starts the bridge (when the harness was started without it, e.g. to build a backlog first). */
  async startBridge(): Promise<void> {
    const log = createLogger('bridge', { level: 'info', write: (l) => this.logs.push(l) });
    const domain = this.options.domain ? bridgeOf(this.options.domain, this.config) : bridgeDomain(this.config);
    const config = domainConfig(this.config, domain);
    this.bridge = new KafkaBridge(
      {
        config,
        toStart: this.options.toStart?.(domain.toStart) ?? domain.toStart,
        client: this.client,
        store: (this.options.bridgeStore ?? ((s) => s))(new LocalObjectStore(this.lakehouse)),
        log,
        metrics: new BridgeMetrics(this.registry, this.topic, this.config.consumerGroup),
        breakers: bridgeBreakers(new CircuitBreakers(this.registry, log), this.config, () =>
          this.connection.healthService.check({}),
        ),
      },
      bridgeSource(config, log),
    );
    await this.bridge.start();
  }

  /** The DLQ as the CLI and the DLQ monitor see it, over this harness's Temporal client and lakehouse. */
  dlqService(): DlqService {
    return new DlqService(
      this.client,
      this.config.temporalNamespace,
      this.config.temporalUiUrl,
      new LocalObjectStore(this.lakehouse),
      dlqTables(this.config),
    );
  }

  /** A sample event whose attachments are exactly `urls`. */
  eventWith(i: number, urls: string[]): Record<string, unknown> {
    const e = sampleEvent(i, { sampleUrl: this.sample.url, attachments: 0 });
    return { ...e, data: { ...(e.data as object), attachments: urls } };
  }

  /** Produces messages in order; returns the offset of each (messages sent one call at a time when partitioned). */
  async produce(
    messages: { value: string | Buffer | null; key?: string | Buffer; partition?: number; headers?: IHeaders }[],
  ): Promise<string[]> {
    const offsets: string[] = [];
    for (let i = 0; i < messages.length; i += 500) {
      const chunk = messages.slice(i, i + 500);
      if (chunk.every((m) => m.partition !== undefined)) {
        for (const m of chunk) {
          const [meta] = await this.producer.send({ topic: this.topic, messages: [m] });
          offsets.push(meta!.baseOffset ?? '');
        }
      } else {
        await this.producer.send({ topic: this.topic, messages: chunk });
      }
    }
    return offsets;
  }

  async produceEvents(events: Record<string, unknown>[]): Promise<void> {
    await this.produce(events.map((e) => ({ key: String(e.traceId), value: JSON.stringify(e) })));
  }

  /** Waits for each workflow to exist and close; returns its outcome and search attributes. */
  async waitFor(workflowIds: readonly string[], timeoutMs = 240_000): Promise<Map<string, RunOutcome>> {
    const deadline = Date.now() + timeoutMs;
    const out = new Map<string, RunOutcome>();
    await Promise.all(
      workflowIds.map(async (id) => {
        const handle = this.client.workflow.getHandle(id);
        for (;;) {
          try {
            await handle.describe();
            break;
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline)
              throw new Error(`workflow ${id} never started: ${String(err)}`);
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        let outcome: Omit<RunOutcome, 'searchAttributes'>;
        try {
          outcome = { status: 'completed', result: await handle.result() };
        } catch (err) {
          if (!(err instanceof WorkflowFailedError)) throw err;
          const cause = err.cause as { type?: string; message: string; details?: unknown[] } | undefined;
          outcome = { status: 'failed', failureType: cause?.type, message: cause?.message, details: cause?.details };
        }
        const description = await handle.describe();
        out.set(id, { ...outcome, searchAttributes: description.searchAttributes as Record<string, unknown> });
      }),
    );
    return out;
  }

  filePath(blobPath: string): string {
    return path.join(this.lakehouse, this.config.xactFilesPrefix, blobPath);
  }

  tablePath(which: 'events' | 'attachments'): string {
    return path.join(
      this.lakehouse,
      which === 'events' ? this.config.xactEventsTable : this.config.xactAttachmentsTable,
    );
  }

  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const m = (await this.registry.getMetricsAsJSON()).find((x) => x.name === name);
    const values = (m?.values ?? []) as { value: number; labels: Record<string, string> }[];
    return values
      .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
      .reduce((n, v) => n + v.value, 0);
  }

  async stop(): Promise<void> {
    await this.bridge?.stop();
    await this.stopWorker().catch(() => undefined);
    await Promise.allSettled([this.producer.disconnect(), this.connection.close(), this.sample.close()]);
    const admin = new Kafka({ clientId: 'pipeline-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [this.topic] }).catch(() => undefined);
    await admin.disconnect();
    fs.rmSync(this.lakehouse, { recursive: true, force: true });
  }
}
