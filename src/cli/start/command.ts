import type { Command } from 'commander';

interface StartOptions {
  keepStack?: boolean;
  demo?: boolean;
}

/** `kafka-pipeline start` (what `npm start` runs): local stack up, then worker + bridge until Ctrl-C / SIGTERM. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Bring up the local stack (Temporal + Kafka) and run the worker and bridge until Ctrl-C')
    .option('--keep-stack', 'leave Temporal and Kafka running on exit even if this command started them')
    .option('--demo', 'also run the sample file server on 127.0.0.1:8765 and produce a sample event every 2 s')
    .action(async (opts: StartOptions) => {
      // Loaded on use: the worker and bridge processes run this CLI too and need none of it.
      const { startPipeline } = await import('./start-pipeline');
      process.exitCode = await startPipeline(opts);
    });
}
