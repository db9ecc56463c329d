import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import { startOpsServer } from '../observability/http-server';
import { createRegistry } from '../observability/registry';
import { createPipelineWorker } from './create-worker';

/** Routes the Temporal SDK's own log lines through our JSON logger. Call once per process, before any worker. */
export function installTemporalRuntime(log: Logger): void {
  Runtime.install({
    // Native (Rust core) log lines are forwarded to the same JSON logger instead of printed in their own format.
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    logger: new DefaultLogger('WARN', (entry) => {
      const level = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : 'info';
      log[level](entry.message, { temporal: entry.meta });
    }),
  });
}

/** Runs the worker until SIGINT/SIGTERM (the SDK's shutdown signals): in-flight tasks finish or return to Temporal. */
export async function runWorker(config: Config, log: Logger): Promise<void> {
  const { worker, connection, deps } = await createPipelineWorker(config);
  const ops = await startOpsServer(config.metricsPort, createRegistry('worker'), async () =>
    worker.getState() === 'RUNNING' ? [] : [`worker state is ${worker.getState()}`],
  );
  log.info('worker started', {
    task_queue: config.taskQueue,
    namespace: config.temporalNamespace,
    metrics_port: ops.port,
  });
  try {
    await worker.run();
    // Rows of activities that completed while shutting down are committed before the process exits.
    await Promise.all([deps.eventsTable.flush(), deps.attachmentsTable.flush()]);
  } finally {
    await Promise.allSettled([connection.close(), ops.close()]);
    log.info('worker stopped');
  }
}
