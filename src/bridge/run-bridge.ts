import { Kafka, logLevel } from 'kafkajs';
import { Connection } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import { startOpsServer } from '../observability/http-server';
import { createRegistry } from '../observability/registry';

/**
 * The bridge process. At this stage it only proves its connections: the events topic exists on the broker and
 * the Temporal frontend answers. Consuming events and starting workflows is the pipeline issue's work.
 * Resolves after `stop` is aborted (SIGINT/SIGTERM in main).
 */
export async function runBridge(config: Config, log: Logger, stop: AbortSignal): Promise<void> {
  const admin = new Kafka({
    clientId: config.kafkaClientId,
    brokers: config.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const connection = await Connection.connect({ address: config.temporalAddress });
  const ops = await startOpsServer(config.metricsPort, createRegistry('bridge'), async () => {
    const [kafka, temporal] = await Promise.allSettled([admin.describeCluster(), connection.healthService.check({})]);
    const problems: string[] = [];
    if (kafka.status === 'rejected') problems.push(`kafka: ${String(kafka.reason)}`);
    if (temporal.status === 'rejected') problems.push(`temporal: ${String(temporal.reason)}`);
    return problems;
  });
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(config.eventsTopic)) {
      throw new Error(
        `topic ${config.eventsTopic} does not exist on ${config.kafkaBrokers.join(',')} (npm run stack:up creates it)`,
      );
    }
    await connection.healthService.check({});
    log.info('bridge connected; event consumption is not implemented yet, idling until stopped', {
      topic: config.eventsTopic,
      group: config.consumerGroup,
      temporal: config.temporalAddress,
      metrics_port: ops.port,
    });
    if (!stop.aborted)
      await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await Promise.allSettled([admin.disconnect(), connection.close(), ops.close()]);
    log.info('bridge stopped');
  }
}
