import type { Command } from 'commander';
import { domainNames } from '../../domains/registry';
import { cliConfig } from '../common/cli-config';

/** `kafka-pipeline produce` and `kafka-pipeline sample-server`: sample traffic for demos, tests and the bench. */
export function registerSampleCommands(program: Command): void {
  program
    .command('produce')
    .description(
      'Publish realistic sample events: xact ones whose attachments point at the sample file server, or claimx ' +
        'ones (every type) for the ClaimX API stand-in',
    )
    .option('--domain <domain>', `the domain of the events: ${domainNames().join(', ')}`, 'xact')
    .option('--count <n>', 'number of events', '10')
    .option('--attachments <k>', 'attachments per event: a number or a range such as 1-3', '1-3')
    .option('--fail-rate <r>', 'fraction of attachments that answer 404 (0..1)', '0')
    .option('--bytes <n>', 'size of each attachment body', '20000')
    .option('--sample-url <url>', 'base URL of the sample file server', 'http://127.0.0.1:8765')
    .action(
      async (opts: {
        domain: string;
        count: string;
        attachments: string;
        failRate: string;
        bytes: string;
        sampleUrl: string;
      }) => {
        const count = Number(opts.count);
        const failRate = Number(opts.failRate);
        if (!Number.isInteger(count) || count < 1)
          throw new Error(`--count must be a positive integer, got ${opts.count}`);
        if (!(failRate >= 0 && failRate <= 1))
          throw new Error(`--fail-rate must be between 0 and 1, got ${opts.failRate}`);
        const { produceSampleEvents } = await import('./produce-tools');
        const { produced, topic } = await produceSampleEvents(cliConfig(), {
          domain: opts.domain,
          count,
          attachments: opts.attachments,
          failRate,
          bytes: Number(opts.bytes),
          sampleUrl: opts.sampleUrl,
        });
        console.log(`produced ${produced} ${opts.domain} events to ${topic}`);
      },
    );
  program
    .command('claimx-api-standin')
    .description('Serve the local ClaimX API STAND-IN (not the real service) for demos and tests, until Ctrl-C')
    .option('--port <port>', 'port to listen on', '8766')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--token <token>', 'the Basic credential it accepts (CLAIMX_API_TOKEN of the worker)', 'standin')
    .action(async (opts: { port: string; host: string; token: string }) => {
      const { startClaimxApiStandin } = await import('../../../dev/claimx-api-standin');
      const api = await startClaimxApiStandin({ token: opts.token, port: Number(opts.port), host: opts.host });
      console.log(`ClaimX API stand-in on ${api.url} (CLAIMX_API_URL; Ctrl-C stops it)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await api.close();
    });
  program
    .command('sample-server')
    .description(
      'Serve deterministic sample attachments: the file server STAND-IN (routes in dev/file-server-standin.ts)',
    )
    .option('--port <port>', 'port to listen on', '8765')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      const { startFileServerStandin } = await import('../../../dev/file-server-standin');
      const server = await startFileServerStandin({ port: Number(opts.port), host: opts.host });
      console.log(`sample file server on ${server.url} (Ctrl-C stops it)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
}
