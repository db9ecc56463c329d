import type { Command } from 'commander';
import { cliConfig } from '../cli-config';

/** `kafka-pipeline produce` and `kafka-pipeline sample-server`: sample traffic for demos, tests and the bench. */
export function registerSampleCommands(program: Command): void {
  program
    .command('produce')
    .description('Publish realistic sample xact events whose attachments point at the sample file server')
    .option('--count <n>', 'number of events', '10')
    .option('--attachments <k>', 'attachments per event: a number or a range such as 1-3', '1-3')
    .option('--fail-rate <r>', 'fraction of attachments that answer 404 (0..1)', '0')
    .option('--bytes <n>', 'size of each attachment body', '20000')
    .option('--sample-url <url>', 'base URL of the sample file server', 'http://127.0.0.1:8765')
    .action(
      async (opts: { count: string; attachments: string; failRate: string; bytes: string; sampleUrl: string }) => {
        const count = Number(opts.count);
        const failRate = Number(opts.failRate);
        if (!Number.isInteger(count) || count < 1)
          throw new Error(`--count must be a positive integer, got ${opts.count}`);
        if (!(failRate >= 0 && failRate <= 1))
          throw new Error(`--fail-rate must be between 0 and 1, got ${opts.failRate}`);
        const { produceSampleEvents } = await import('../../sample/produce');
        const produced = await produceSampleEvents(cliConfig(), {
          count,
          attachments: opts.attachments,
          failRate,
          bytes: Number(opts.bytes),
          sampleUrl: opts.sampleUrl,
        });
        console.log(`produced ${produced} events to ${cliConfig().eventsTopic}`);
      },
    );
  program
    .command('sample-server')
    .description('Serve deterministic sample attachments (see src/sample/sample-server.ts for the routes)')
    .option('--port <port>', 'port to listen on', '8765')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      const { startSampleServer } = await import('../../sample/sample-server');
      const server = await startSampleServer({ port: Number(opts.port), host: opts.host });
      console.log(`sample file server on ${server.url} (Ctrl-C stops it)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}
