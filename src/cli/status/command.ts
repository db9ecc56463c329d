import type { Command } from 'commander';
import type { StatusFlags } from './status-command';

/** `kafka-pipeline status`: the health of every part of the pipeline on one screen. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'Health on one screen: Temporal and Kafka, consumer lag, open and started workflows, DLQ, bridge, worker ' +
        'and DLQ monitor readiness and breakers, last Delta commits; exit 1 when something is unhealthy',
    )
    .option('--watch [seconds]', 'read again every few seconds (default 5) until Ctrl-C')
    .option('--json', 'print JSON (with "problems" and "healthy")')
    .option('--bridge <url>', "bridge's metrics and health base URL (default http://127.0.0.1:METRICS_PORT)")
    .option('--worker <url>', "worker's metrics and health base URL (default http://127.0.0.1:METRICS_PORT+1)")
    .option(
      '--dlq-monitor <url>',
      "DLQ monitor's metrics and health base URL (default http://127.0.0.1:METRICS_PORT+3, as npm start runs it)",
    )
    .action(async (opts: StatusFlags) => {
      process.exitCode = await (await import('./status-command')).statusCommand(opts);
    });
}
