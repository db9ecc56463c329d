import type { Command } from 'commander';

/**
 * `kafka-pipeline worker` and `kafka-pipeline bridge`: the long-running processes of the pipeline, beside one
 * `kafka-pipeline dlq-monitor` per deployment; `kafka-pipeline run`: worker and bridge in one process (one Temporal
 * connection, eager workflow start).
 */
export function registerProcessCommands(program: Command): void {
  program
    .command('worker')
    .description('Run a Temporal worker for the pipeline workflows and activities (until SIGINT/SIGTERM)')
    .action(async () => {
      await (await import('../../worker/main')).main();
    });
  program
    .command('bridge')
    .description('Run the Kafka-to-Temporal bridge (until SIGINT/SIGTERM)')
    .action(async () => {
      await (await import('../../bridge/main')).main();
    });
  program
    .command('dlq-monitor')
    .description(
      'Run the DLQ monitor, one per deployment: DLQ depth metrics, and every failed run archived in the lakehouse ' +
        '(until SIGINT/SIGTERM)',
    )
    .action(async () => {
      await (await import('./dlq-monitor')).main();
    });
  program
    .command('run')
    .description(
      'Run the bridge and the worker in one process sharing one Temporal connection, with eager workflow start (until SIGINT/SIGTERM)',
    )
    .action(async () => {
      await (await import('../../combined/main')).main();
    });
}
