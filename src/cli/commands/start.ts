import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { createLogger } from '../../observability/logger';
import { runStackScript, stackServerRunning } from '../stack';
import { supervise } from '../supervise';

interface StartOptions {
  keepStack?: boolean;
}

/** `kafka-pipeline start` (what `npm start` runs): local stack up, then worker + bridge until Ctrl-C / SIGTERM. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Bring up the local stack (Temporal + Kafka) and run the worker and bridge until Ctrl-C')
    .option('--keep-stack', 'leave Temporal and Kafka running on exit even if this command started them')
    .action(async (opts: StartOptions) => {
      process.exitCode = await startPipeline(opts);
    });
}

export async function startPipeline(opts: StartOptions): Promise<number> {
  const config = loadConfig();
  const log = createLogger('start', { level: config.logLevel });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stackWasUp = stackServerRunning('temporal') || stackServerRunning('kafka');
  try {
    await runStackScript('up');
    if (stop.signal.aborted) return 0;
    log.info('starting worker and bridge; Ctrl-C stops them', { temporal_ui: config.temporalUiUrl });
    // Both processes serve /metrics; on one machine the worker takes the port after the bridge's.
    const workerPort = String(config.metricsPort === 0 ? 0 : config.metricsPort + 1);
    return await supervise([{ cmd: 'bridge' }, { cmd: 'worker', env: { METRICS_PORT: workerPort } }], log, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!stackWasUp && !opts.keepStack) await runStackScript('down');
  }
}
