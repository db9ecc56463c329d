import type { Client } from '@temporalio/client';
import { DefaultLogger, type NativeConnection, Runtime } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import { parquetThreadMemory } from '@kafka-pipeline/delta-lake';
import type { Config } from '../config/config';
import { connectTemporal } from '../wiring/temporal';
import type { Logger } from '../observability/logger';
import { startOpsServer } from '../observability/http-server';
import { createRegistry } from '../observability/registry';
import { WorkerMetrics } from '../observability/worker-metrics';
import { domainNames, domainTables, traceIdOf } from '../domains/registry';
import { CircuitBreakers } from '../resilience/circuit-breaker';
import { buildActivityDeps } from './build-deps';
import { createPipelineWorker, type PipelineWorker } from './create-worker';
import { buildMaintenanceDeps, setUpMaintenanceSchedules } from './maintenance-deps';

/** Routes the Temporal SDK's own log lines through our JSON logger. Call once per process, before any worker. */
export function installTemporalRuntime(log: Logger, sdkMetricsPort = 0, host = '0.0.0.0'): void {
  const bind = host.includes(':') ? `[${host}]` : host;
  Runtime.install({
    // Signals are handled in runWorker for the whole life of the process (the SDK's own handlers go away once
    // shutdown starts, so a second signal, e.g. Ctrl-C plus the supervisor's SIGTERM, would kill the drain).
    shutdownSignals: [],
    // Native (Rust core) log lines are forwarded to the same JSON logger instead of printed in their own format.
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      // The SDK's own metrics (task slots, schedule-to-start latency, poll results) on a port of their own, on the
      // same address as /metrics (METRICS_HOST).
      ...(sdkMetricsPort > 0
        ? { metrics: { prometheus: { bindAddress: `${bind}:${sdkMetricsPort}`, useSecondsForDurations: true } } }
        : {}),
    },
    logger: new DefaultLogger('WARN', (entry) => {
      const level = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : 'info';
      // Lines about a workflow or activity carry its ids at the top level, like the bridge's lines.
      const workflowId = typeof entry.meta?.workflowId === 'string' ? entry.meta.workflowId : undefined;
      const ids = workflowId ? { workflow_id: workflowId, trace_id: traceIdOf(workflowId) } : {};
      log[level](entry.message, { ...ids, temporal: entry.meta });
    }),
  });
}

/**
 * The worker's memory areas beyond the main thread's: its Parquet thread's heap and WebAssembly memory, from the
 * thread's last report (`undefined`: no thread has replied yet, so no areas).
 */
export function parquetMemory(thread: ReturnType<typeof parquetThreadMemory>): Record<string, number | undefined> {
  return {
    parquet_thread_heap_used: thread?.heapUsed,
    parquet_thread_external: thread?.external,
    parquet_wasm: thread?.wasm,
  };
}

/** What a worker runs on: its metrics registry and breakers, and a Temporal client for maintenance. */
export interface WorkerHost {
  readonly registry: Registry;
  readonly breakers: CircuitBreakers;
  readonly client: Client;
  /** The connection to poll with (the combined process shares its own); default: one of the worker's own. */
  readonly connection?: NativeConnection;
}

/** A built worker: `run` polls until `drain` (then commits the rows of what finished); `close` after `run`. */
export interface RunningWorker {
  readonly worker: PipelineWorker['worker'];
  problems(): string[];
  run(): Promise<void>;
  /** Starts the drain: in-flight tasks finish or go back to Temporal; `run` resolves when done. */
  drain(reason: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** Builds the pipeline worker on `host` and sets up the maintenance schedules; not polling until `run`. */
export async function openWorker(config: Config, log: Logger, host: WorkerHost): Promise<RunningWorker> {
  const metrics = new WorkerMetrics(host.registry, {
    domains: domainNames(),
    tables: domainTables(config).map((t) => t.def.name),
  });
  const activityDeps = await buildActivityDeps(config, undefined, metrics, host.breakers);
  const maintenance = buildMaintenanceDeps(config, activityDeps.store, host.client, host.registry);
  const { worker, connection, deps } = await createPipelineWorker(
    config,
    { ...activityDeps, maintenance },
    metrics,
    host.connection,
  );
  await setUpMaintenanceSchedules(config, host.client, log);
  return {
    worker,
    problems: () => (worker.getState() === 'RUNNING' ? [] : [`worker state is ${worker.getState()}`]),
    run: async () => {
      await worker.run();
      // Rows of activities that completed while shutting down are committed before the process exits.
      await Promise.all([
        deps.eventsTable.flush(),
        deps.attachmentsTable.flush(),
        deps.claimx?.eventsTable.flush(),
        deps.claimx?.attachmentsTable.flush(),
      ]);
    },
    drain: (reason) => {
      if (worker.getState() !== 'RUNNING') return;
      log.info('worker draining: in-flight tasks finish or go back to Temporal', reason);
      worker.shutdown();
    },
    close: async () => {
      if (!host.connection) await connection.close();
    },
  };
}

/** Runs the worker until SIGINT/SIGTERM (the SDK's shutdown signals): in-flight tasks finish or return to Temporal. */
export async function runWorker(config: Config, log: Logger): Promise<void> {
  const registry = createRegistry('worker', () => parquetMemory(parquetThreadMemory()));
  const breakers = new CircuitBreakers(registry, log, { maxHosts: config.breakerMaxHosts });
  const temporal = await connectTemporal(config);
  let running: RunningWorker;
  try {
    running = await openWorker(config, log, { registry, breakers, client: temporal.client });
  } catch (err) {
    await temporal.connection.close();
    throw err;
  }
  const ops = await startOpsServer(config.metricsPort, registry, async () => running.problems(), {
    host: config.metricsHost,
  });
  log.info('worker started', {
    task_queue: config.taskQueue,
    namespace: config.temporalNamespace,
    metrics_port: ops.port,
  });
  const onSignal = (signal: NodeJS.Signals): void => running.drain({ signal });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await running.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.allSettled([running.close(), temporal.connection.close(), ops.close()]);
    log.info('worker stopped');
  }
}
