import type { Command } from 'commander';

/** `kafka-pipeline delta verify|compact <table>`: maintenance of the lakehouse's Delta tables. */
export function registerDeltaCommands(program: Command): void {
  const delta = program.command('delta').description('Inspect the Delta tables of the lakehouse');
  delta
    .command('verify')
    .description('Check the log is contiguous, every data file exists with its logged size, and no key is duplicated')
    .argument('<table>', 'a Delta table by name: xact_events, claimx_projects, pipeline_dlq, ... (see status)')
    .option('--json', 'print the report as JSON')
    .action(async (table: string, opts: { json?: boolean }) => {
      const { runVerify } = await import('./delta-tools');
      process.exitCode = await runVerify(table, opts.json ?? false);
    });
  delta
    .command('compact')
    .description(
      "Rewrite each partition's small files into larger ones (dataChange=false); safe next to running writers",
    )
    .argument('<table>', 'a Delta table by name: xact_events, claimx_projects, pipeline_dlq, ... (see status)')
    .option(
      '--target-mb <n>',
      'size of the files written; files at least this large are left alone (a file of this size is decoded whole: tens of times its size in memory)',
      '2',
    )
    .option('--min-files <n>', 'compact a partition only when it has at least this many small files', '2')
    .option('--dry-run', 'show what would be rewritten, change nothing')
    .option('--json', 'print the report as JSON')
    .action(async (table: string, opts: { targetMb: string; minFiles: string; dryRun?: boolean; json?: boolean }) => {
      const targetMb = Number(opts.targetMb);
      const minFiles = Number(opts.minFiles);
      if (!(targetMb > 0) || !Number.isInteger(minFiles) || minFiles < 2) {
        console.error('delta compact: --target-mb must be a positive number and --min-files an integer of at least 2');
        process.exitCode = 2;
        return;
      }
      const { runCompact } = await import('./delta-tools');
      process.exitCode = await runCompact(table, {
        targetFileBytes: Math.round(targetMb * 1024 * 1024),
        minFiles,
        dryRun: opts.dryRun ?? false,
        json: opts.json ?? false,
      });
    });
}
