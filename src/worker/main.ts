// Entry point of the worker process: wires config, logging and the Temporal worker, then runs until a signal.
import { processMain } from '../observability/process-main';
import { applyWorkerV8Flags } from './node-options';
import { installTemporalRuntime, runWorker } from './run-worker';

export async function main(): Promise<void> {
  applyWorkerV8Flags();
  await processMain('worker', async (config, log) => {
    installTemporalRuntime(log, config.temporalSdkMetricsPort, config.metricsHost);
    await runWorker(config, log);
  });
}
