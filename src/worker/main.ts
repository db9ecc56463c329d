// Entry point of the worker process: wires config, logging and the Temporal worker, then runs until a signal.
import { loadConfig } from '../config/config';
import { createLogger } from '../observability/logger';
import { applyWorkerV8Flags } from './node-options';
import { installTemporalRuntime, runWorker } from './run-worker';

export async function main(): Promise<void> {
  applyWorkerV8Flags();
  const config = loadConfig();
  const log = createLogger('worker', { level: config.logLevel });
  installTemporalRuntime(log, config.temporalSdkMetricsPort);
  await runWorker(config, log);
}
