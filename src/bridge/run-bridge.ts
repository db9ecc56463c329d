import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import { kafkaAdmin } from '../adapters/kafka/kafka-admin';
import { KafkaSockets } from '../adapters/kafka/kafka-sockets';
import { createObjectStore } from '../wiring/object-store';
import { checkTemporal, connectTemporal, FAST_RECONNECT_CHANNEL_ARGS, type TemporalHealth } from '../wiring/temporal';
import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import { startOpsServer } from '../observability/http-server';
import { createRegistry } from '../observability/registry';
import { CircuitBreakers } from '../resilience/circuit-breaker';
import { aborted } from '../shared/bounded';
import { bridgeDomain, domainConfig } from './domains';
import { LagMonitor } from './lag-monitor';
import { BridgeMetrics } from './bridge-metrics';
import { Admission } from './admission';
import { dependencyProblems, watchTemporal } from './bridge-monitors';
import { bridgeBreakers, bridgeSource } from './bridge-deps';
import { KafkaBridge } from './kafka-bridge';

const CONNECTIVITY_INTERVAL_MS = 5_000;
const ADMISSION_INTERVAL_MS = 2_000;
const TEMPORAL_PROBE_DEADLINE_MS = 2_000;

/** What a bridge runs on: Temporal (its client and that client's connection), metrics and breakers. */
export interface BridgeHost {
  readonly client: Client;
  readonly connection: TemporalHealth;
  readonly registry: Registry;
  readonly breakers: CircuitBreakers;
  /** Ask for eager workflow start (only where `client` is on the connection of a worker of the task queue). */
  readonly eagerStart?: boolean;
}

/** A bridge consuming (`consuming` logged): its readiness, and its stop in two steps. */
export interface RunningBridge {
  /** Readiness problems (empty = ready): Kafka and Temporal answer, group member, no stuck partition. */
  problems(): Promise<string[]>;
  /** Stops fetching, finishes in-flight starts, commits what was handed over, leaves the group. */
  stop(): Promise<void>;
  /** Stops the monitors and closes its Kafka clients (after `stop`, or when it failed to start). */
  close(): Promise<void>;
}

/**
 * Starts the bridge of the BRIDGE_DOMAIN on `host` and logs `bridge consuming` (with `fields`) once it consumes.
 * Used by the bridge process (`runBridge`) and the combined process (src/combined).
 */
export async function openBridge(
  configured: Config,
  log: Logger,
  host: BridgeHost,
  fields: Record<string, unknown> = {},
): Promise<RunningBridge> {
  const domain = bridgeDomain(configured);
  const config = domainConfig(configured, domain);
  const { client, connection, registry } = host;
  const sockets = new KafkaSockets();
  const admin = kafkaAdmin(config, { socketFactory: sockets.factory });
  const metrics = new BridgeMetrics(registry, config.eventsTopic, config.consumerGroup, host.eagerStart);
  const store = createObjectStore(config);
  const admission = new Admission(client, config.taskQueue, config.bridgeMaxOpenWorkflows, metrics);
  const bridge = new KafkaBridge(
    {
      config,
      client,
      store,
      log,
      metrics,
      breakers: bridgeBreakers(host.breakers, config, () => checkTemporal(connection, TEMPORAL_PROBE_DEADLINE_MS)),
      admission,
      toStart: domain.toStart,
      eagerStart: host.eagerStart,
    },
    bridgeSource(config, log, sockets.factory),
  );
  const stopTemporalWatch = watchTemporal(connection, metrics, log, CONNECTIVITY_INTERVAL_MS);
  const stopAdmission = admission.start(ADMISSION_INTERVAL_MS, log);
  const lag = new LagMonitor(registry, admin, config.eventsTopic, config.consumerGroup, log);
  const close = async (): Promise<void> => {
    // No refresh may run once the clients close: a late lag refresh would reconnect the admin client.
    await Promise.allSettled([lag.stop(), stopTemporalWatch(), stopAdmission()]);
    await admin.disconnect().catch(() => undefined);
    const lost = await sockets.closeAll();
    if (lost > 0) log.info('closed Kafka connections the client had lost track of', { connections: lost });
  };
  try {
    await admin.connect();
    await bridge.start();
  } catch (err) {
    await close();
    throw err;
  }
  lag.start(config.kafkaLagIntervalS * 1000);
  log.info('bridge consuming', {
    domain: domain.domain,
    topic: config.eventsTopic,
    group: config.consumerGroup,
    temporal: config.temporalAddress,
    ...fields,
  });
  return {
    problems: async () => {
      const problems = await dependencyProblems(admin, connection);
      if (!bridge.isGroupMember()) problems.push(`kafka: not a member of consumer group ${config.consumerGroup}`);
      for (const p of bridge.stuckPartitions())
        problems.push(`bridge: ${p.topic}/${p.partition} has not handed a message over for ${p.seconds} s: ${p.error}`);
      return problems;
    },
    stop: async () => {
      log.info('bridge stopping: finishing in-flight starts and committing');
      await bridge.stop();
    },
    close,
  };
}

/** Runs the bridge until `stop` aborts: then stops fetching, finishes in-flight starts, commits, disconnects. */
export async function runBridge(configured: Config, log: Logger, stop: AbortSignal): Promise<void> {
  const registry = createRegistry('bridge');
  const { connection, client } = await connectTemporal(configured, { channelArgs: FAST_RECONNECT_CHANNEL_ARGS });
  let bridge: RunningBridge | undefined;
  let ops: Awaited<ReturnType<typeof startOpsServer>> | undefined;
  try {
    const breakers = new CircuitBreakers(registry, log);
    // Readiness, asked live (at most once a second, shared by concurrent probes).
    ops = await startOpsServer(
      configured.metricsPort,
      registry,
      async () => (bridge ? bridge.problems() : ['starting']),
      {
        host: configured.metricsHost,
      },
    );
    bridge = await openBridge(configured, log, { client, connection, registry, breakers }, { metrics_port: ops.port });
    await aborted(stop);
    await bridge.stop();
  } finally {
    await bridge?.close();
    await Promise.allSettled([connection.close(), ops?.close()]);
    log.info('bridge stopped');
  }
}
