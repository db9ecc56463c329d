import { NativeConnection } from '@temporalio/worker';
import { parquetThreadMemory } from '@kafka-pipeline/delta-lake';
import { openBridge, type RunningBridge } from '../bridge/run-bridge';
import { aborted } from '../shared/bounded';
import type { Config } from '../config/config';
import { startOpsServer, type OpsServer } from '../observability/http-server';
import type { Logger } from '../observability/logger';
import { createRegistry } from '../observability/registry';
import { CircuitBreakers } from '../resilience/circuit-breaker';
import { openWorker, parquetMemory, type RunningWorker } from '../worker/run-worker';
import { pipelineClient, temporalConnectionOptions } from '../wiring/temporal';

/**
 * The bridge and the worker in one process (`kafka-pipeline run`) on ONE Temporal connection: the worker polls with
 * it and the bridge's client is built on it, so its starts ask for eager workflow start and the server hands the
 * first workflow task straight back to this worker, skipping a task-queue round trip. One registry and one
 * /metrics + /health port (METRICS_PORT) for both; ready when both are. Runs until `stop` aborts or the worker
 * fails; then the bridge stops fetching and finishes its starts first, then the worker drains.
 */
export async function runCombined(config: Config, log: Logger, stop: AbortSignal): Promise<void> {
  const registry = createRegistry('combined', () => parquetMemory(parquetThreadMemory()));
  // One set of breakers for both parts: each part's breakers have names of their own, the metrics are registered once.
  const breakers = new CircuitBreakers(registry, log, { maxHosts: config.breakerMaxHosts });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const client = pipelineClient(config, connection);
  let worker: RunningWorker | undefined;
  let workerDone: Promise<void> | undefined;
  let workerError: { error: unknown } | undefined;
  let bridge: RunningBridge | undefined;
  let ops: OpsServer | undefined;
  try {
    worker = await openWorker(config, log, { registry, breakers, client, connection });
    // Polling before the first start: an eager start needs this process's worker ready to take the task.
    workerDone = worker.run().catch((error: unknown) => {
      workerError = { error };
    });
    const running = worker;
    ops = await startOpsServer(
      config.metricsPort,
      registry,
      async () => [...running.problems(), ...(bridge ? await bridge.problems() : ['bridge: not consuming yet'])],
      { host: config.metricsHost },
    );
    log.info('worker started', {
      task_queue: config.taskQueue,
      namespace: config.temporalNamespace,
      metrics_port: ops.port,
    });
    bridge = await openBridge(
      config,
      log,
      { client, connection, registry, breakers, eagerStart: true },
      { metrics_port: ops.port, eager_start: true },
    );
    await Promise.race([aborted(stop), workerDone]);
    await bridge.stop();
  } finally {
    // Every start the bridge made is in Temporal before the worker lets go of its tasks.
    await bridge?.close();
    if (bridge) log.info('bridge stopped');
    if (worker && workerDone) {
      worker.drain({ reason: stop.aborted ? 'signal' : 'the worker stopped' });
      await workerDone;
      log.info('worker stopped');
    }
    // The worker no longer uses the connection (closing it earlier throws).
    await Promise.allSettled([worker?.close(), connection.close(), ops?.close()]);
  }
  if (workerError) throw workerError.error;
}
