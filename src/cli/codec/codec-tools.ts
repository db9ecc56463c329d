import { type CodecServer, CodecServerRefused, isLoopbackName, startCodecServer } from '../../codec/codec-server';
import { payloadCodec } from '../../codec/data-converter';
import { processLogger } from '../../observability/logger';
import { cliConfig } from '../common/cli-config';

export interface CodecServerFlags {
  host: string;
  port: string;
  corsOrigin?: string[];
  insecureNoToken?: boolean;
}

/**
 * `kafka-pipeline codec-server`: decodes (and encodes) payloads for the Temporal Web UI and the temporal CLI with
 * the pipeline's keys, until SIGINT/SIGTERM. Keys never leave the process; only payloads do, to whoever may call it:
 * it listens on 127.0.0.1 unless told otherwise (and then answers only requests addressed to a loopback name), and
 * CODEC_SERVER_TOKEN makes it ask for a bearer token; elsewhere it needs the token, or --insecure-no-token.
 */
export async function codecServerCommand(flags: CodecServerFlags): Promise<number> {
  const config = cliConfig();
  const codec = payloadCodec(config);
  if (!codec) {
    console.error('codec-server: TEMPORAL_PAYLOAD_KEYS is not set: there is no key to decode with');
    return 2;
  }
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`codec-server: --port ${flags.port}: expected a port number`);
    return 2;
  }
  const corsOrigins = flags.corsOrigin ?? [new URL(config.temporalUiUrl).origin];
  const log = processLogger('codec-server', config);
  const token = config.codecServerToken;
  let server: CodecServer;
  try {
    server = await startCodecServer(codec, {
      host: flags.host,
      port,
      corsOrigins,
      token,
      allowNoToken: flags.insecureNoToken === true,
    });
  } catch (err) {
    if (!(err instanceof CodecServerRefused)) throw err;
    console.error(`codec-server: ${err.message}`);
    return 2;
  }
  if (token === '' && flags.insecureNoToken === true && !isLoopbackName(flags.host)) {
    log.warn('codec server listens beyond loopback without a token: whoever reaches it can decrypt payloads', {
      host: flags.host,
    });
  }
  log.info('codec server listening', {
    url: server.url,
    encryptsWith: codec.encrypt ? codec.keyId : null,
    corsOrigins,
    tokenRequired: config.codecServerToken !== '',
  });
  // One line for a person at a terminal: what to give the Web UI and the temporal CLI.
  console.error(
    `Web UI: --ui-codec-endpoint ${server.url} (or its Data Encoder setting); temporal CLI: --codec-endpoint ${server.url}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  log.info('codec server stopped');
  return 0;
}
