// Entry point of the DLQ monitor process (`kafka-pipeline dlq-monitor`), one per deployment: wires config, logging,
// the Temporal client and the lakehouse into the DlqMonitor (src/dlq/dlq-monitor.ts) and runs until SIGINT/SIGTERM.
import type { Config } from '../../config/config';
import { dlqTables } from '../../config/settings';
import { DlqMonitor } from '../../dlq/dlq-monitor';
import { DlqService } from '../../dlq/dlq-service';
import { startOpsServer, type OpsServer } from '../../observability/http-server';
import type { Logger } from '../../observability/logger';
import { processMain } from '../../observability/process-main';
import { createRegistry } from '../../observability/registry';
import { aborted } from '../../shared/bounded';
import { createObjectStore } from '../../wiring/object-store';
import {
  checkTemporal,
  connectTemporal,
  FAST_RECONNECT_CHANNEL_ARGS,
  type TemporalHealth,
} from '../../wiring/temporal';

const TEMPORAL_PROBE_DEADLINE_MS = 5_000;

export async function main(): Promise<void> {
  await processMain('dlq-monitor', async (config, log) => {
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
    await runDlqMonitor(config, log, stop.signal);
  });
}

/**
 * Every DLQ_METRICS_INTERVAL_S counts the DLQ of every domain into the `pipeline_dlq_*` gauges and archives the
 * entries not archived yet (DlqMonitor); serves /metrics, /health/live and /health/ready on METRICS_PORT, ready while
 * Temporal answers. Runs until `stop` aborts; a refresh in flight then ends before the Temporal connection closes.
 */
export async function runDlqMonitor(config: Config, log: Logger, stop: AbortSignal): Promise<void> {
  const registry = createRegistry('dlq-monitor');
  const { connection, client } = await connectTemporal(config, { channelArgs: FAST_RECONNECT_CHANNEL_ARGS });
  const store = createObjectStore(config);
  const dlq = new DlqService(client, config.temporalNamespace, config.temporalUiUrl, store, dlqTables(config));
  const monitor = new DlqMonitor(registry, dlq, log);
  let ops: OpsServer | undefined;
  try {
    ops = await startOpsServer(config.metricsPort, registry, () => temporalProblems(connection), {
      host: config.metricsHost,
    });
    monitor.start(config.dlqMetricsIntervalS * 1000);
    log.info('DLQ monitor running', {
      namespace: config.temporalNamespace,
      interval_s: config.dlqMetricsIntervalS,
      archive: config.dlqArchiveTable,
      metrics_port: ops.port,
    });
    await aborted(stop);
  } finally {
    await monitor.stop();
    await Promise.allSettled([connection.close(), ops?.close()]);
    log.info('DLQ monitor stopped');
  }
}

/** Readiness: Temporal answers a health check (empty = ready). */
async function temporalProblems(connection: TemporalHealth): Promise<string[]> {
  try {
    await checkTemporal(connection, TEMPORAL_PROBE_DEADLINE_MS);
    return [];
  } catch (err) {
    return [`temporal: ${err instanceof Error ? err.message : String(err)}`];
  }
}
