import type { Command } from 'commander';

/** `kafka-pipeline codec-server`: the Temporal codec server for encrypted payloads. */
export function registerCodecCommand(program: Command): void {
  program
    .command('codec-server')
    .description(
      'Serve /encode and /decode with TEMPORAL_PAYLOAD_KEYS for the Temporal Web UI and the temporal CLI ' +
        '(--codec-endpoint), until SIGINT/SIGTERM',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8888')
    .option('--cors-origin <origin...>', 'browser origins allowed to call it (default: the origin of TEMPORAL_UI_URL)')
    .option(
      '--insecure-no-token',
      'listen beyond loopback without CODEC_SERVER_TOKEN (refused otherwise: whoever reaches it can decrypt payloads)',
    )
    .action(async (opts: { host: string; port: string; corsOrigin?: string[]; insecureNoToken?: boolean }) => {
      process.exitCode = await (await import('./codec-tools')).codecServerCommand(opts);
    });
}
