import type { Command } from 'commander';

/** `kafka-pipeline maintenance setup|run|status`: the scheduled table maintenance and side-file retention. */
export function registerMaintenanceCommands(program: Command): void {
  const maintenance = program
    .command('maintenance')
    .description('Scheduled maintenance: Delta compaction, checkpoint, log cleanup, vacuum; side-file retention');
  maintenance
    .command('setup')
    .description(
      'Create or update the Temporal Schedules (one per table, one for side files); the worker does it at start',
    )
    .option('--json', 'print what was created, updated or left unchanged as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { runMaintenanceSetup } = await import('./maintenance-tools');
      process.exitCode = await runMaintenanceSetup(opts.json ?? false);
    });
  maintenance
    .command('run')
    .description('Start maintenance now through its schedule (a run already going on is not doubled)')
    .argument('[target]', 'a table name (e.g. xact_events) or side-files; all when omitted')
    .action(async (target: string | undefined) => {
      const { runMaintenanceNow } = await import('./maintenance-tools');
      process.exitCode = await runMaintenanceNow(target);
    });
  maintenance
    .command('status')
    .description('Each target: its schedule, newest run and last success (exit 1 when one is overdue)')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { runMaintenanceStatus } = await import('./maintenance-tools');
      process.exitCode = await runMaintenanceStatus(opts.json ?? false);
    });
}
