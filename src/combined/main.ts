// Entry point of the combined process (`kafka-pipeline run`): the bridge and the worker in one process, one
// Temporal connection, eager workflow start; runs until SIGINT/SIGTERM.
import { processMain } from '../observability/process-main';
import { applyWorkerV8Flags } from '../worker/node-options';
import { installTemporalRuntime } from '../worker/run-worker';
import { runCombined } from './run-combined';

export async function main(): Promise<void> {
  applyWorkerV8Flags();
  await processMain('combined', async (config, log) => {
    installTemporalRuntime(log, config.temporalSdkMetricsPort, config.metricsHost);
    // Handled for the whole run (not once): a second signal, e.g. Ctrl-C plus a supervisor's SIGTERM, must not kill
    // the drain.
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await runCombined(config, log, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}
