import type { Command } from 'commander';

/** `kafka-pipeline delta verify <table>`: checks a Delta table of the local lakehouse. */
export function registerDeltaCommands(program: Command): void {
  const delta = program.command('delta').description('Inspect the Delta tables of the lakehouse');
  delta
    .command('verify')
    .description('Check the log is contiguous, every data file exists with its logged size, and no key is duplicated')
    .argument('<table>', 'xact_events or xact_attachments')
    .option('--json', 'print the report as JSON')
    .action(async (table: string, opts: { json?: boolean }) => {
      const { runVerify } = await import('../delta-verify');
      process.exitCode = await runVerify(table, opts.json ?? false);
    });
}
