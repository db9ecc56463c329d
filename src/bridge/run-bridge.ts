import { Kafka, logLevel } from 'kafkajs';
import { connectTemporal } from '../config/temporal-client';
import { FAST_RECONNECT_CHANNEL_ARGS, kafkaConfig } from '../config/connections';
import { createObjectStore, dlqTables } from '../config/object-store';
import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import { startOpsServer } from '../observability/http-server';
import { createRegistry } from '../observability/registry';
import { DlqMonitor } from '../dlq/dlq-monitor';
import { DlqService } from '../dlq/dlq-service';
import { CircuitBreakers } from '../resilience/circuit-breaker';
import { bridgeDomain, domainConfig } from './domains';
import { LagMonitor } from './lag-monitor';
import { BridgeMetrics } from './bridge-metrics';
import { Admission } from './admission';
import { dependencyProblems, watchTemporal } from './bridge-monitors';
import { bridgeBreakers } from './bridge-deps';
import { KafkaBridge } from './kafka-bridge';
import { KafkaSockets } from './kafka-sockets';

const CONNECTIVITY_INTERVAL_MS = 5_000;
const ADMISSION_INTERVAL_MS = 2_000;
const TEMPORAL_PROBE_DEADLINE_MS = 2_000;

/** Runs the bridge until `stop` aborts: then stops fetching, finishes in-flight starts, commits, disconnects. */
export async function runBridge(configured: Config, log: Logger, stop: AbortSignal): Promise<void> {
  const domain = bridgeDomain(configured);
  const config = domainConfig(configured, domain);
  const registry = createRegistry('bridge');
  const { connection, client } = await connectTemporal(config, { channelArgs: FAST_RECONNECT_CHANNEL_ARGS });
  const sockets = new KafkaSockets();
  const admin = new Kafka(kafkaConfig(config, { logLevel: logLevel.NOTHING, socketFactory: sockets.factory })).admin();
  await admin.connect();
  const metrics = new BridgeMetrics(registry, config.eventsTopic, config.consumerGroup);
  const breakers = new CircuitBreakers(registry, log);
  const store = createObjectStore(config);
  const admission = new Admission(client, config.taskQueue, config.bridgeMaxOpenWorkflows, metrics);
  const bridge = new KafkaBridge({
    config,
    client,
    store,
    log,
    metrics,
    breakers: bridgeBreakers(breakers, config, () =>
      connection.withDeadline(Date.now() + TEMPORAL_PROBE_DEADLINE_MS, () => connection.healthService.check({})),
    ),
    admission,
    toStart: domain.toStart,
    socketFactory: sockets.factory,
  });
  // Readiness, asked live (at most once a second, shared by concurrent probes): Kafka and Temporal answer, and this
  // process is in the consumer group.
  const ops = await startOpsServer(
    config.metricsPort,
    registry,
    async () => {
      const problems = await dependencyProblems(admin, connection);
      if (!bridge.isGroupMember()) problems.push(`kafka: not a member of consumer group ${config.consumerGroup}`);
      for (const p of bridge.stuckPartitions())
        problems.push(`bridge: ${p.topic}/${p.partition} has not handed a message over for ${p.seconds} s: ${p.error}`);
      return problems;
    },
    { host: config.metricsHost },
  );
  const stopTemporalWatch = watchTemporal(connection, metrics, log, CONNECTIVITY_INTERVAL_MS);
  const stopAdmission = admission.start(ADMISSION_INTERVAL_MS, log);
  const lag = new LagMonitor(registry, admin, config.eventsTopic, config.consumerGroup, log);
  const dlq = new DlqMonitor(
    registry,
    new DlqService(client, config.temporalNamespace, config.temporalUiUrl, store, dlqTables(config)),
    log,
  );
  try {
    await bridge.start();
    lag.start(config.kafkaLagIntervalS * 1000);
    dlq.start(config.dlqMetricsIntervalS * 1000);
    log.info('bridge consuming', {
      domain: domain.domain,
      topic: config.eventsTopic,
      group: config.consumerGroup,
      temporal: config.temporalAddress,
      metrics_port: ops.port,
    });
    if (!stop.aborted)
      await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
    log.info('bridge stopping: finishing in-flight starts and committing');
    await bridge.stop();
  } finally {
    // No refresh may run once the clients close: a late lag refresh would reconnect the admin client.
    await Promise.allSettled([lag.stop(), dlq.stop(), stopTemporalWatch(), stopAdmission()]);
    await Promise.allSettled([admin.disconnect(), connection.close(), ops.close()]);
    const lost = await sockets.closeAll();
    if (lost > 0) log.info('closed Kafka connections the client had lost track of', { connections: lost });
    log.info('bridge stopped');
  }
}
