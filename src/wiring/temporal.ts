/** Temporal clients of the pipeline, built from the configuration for the entry points (bridge, worker, run, CLI). */
import { Client, Connection, type ConnectionLike, type ConnectionOptions } from '@temporalio/client';
import { temporalDataConverter } from '../codec/data-converter';
import type { Config } from '../config/config';
import type { TemporalSettings } from '../config/settings';
import { readPem } from '../adapters/pem-file';

/**
 * gRPC channel settings of the bridge's and the CLI's Temporal client: reconnect at most 1 s apart (grpc-js backs
 * off up to 2 minutes by default), so a client notices within a second that Temporal is back.
 */
export const FAST_RECONNECT_CHANNEL_ARGS = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1_000,
} as const;

/**
 * Temporal connection settings: address, TLS (server-verified against the system's CAs or TEMPORAL_TLS_CA, or mTLS
 * with a client pair), Cloud API key. The same for a client's Connection and a worker's NativeConnection.
 */
export function temporalConnectionOptions(config: TemporalSettings): {
  address: string;
  tls?: true | TemporalTls;
  apiKey?: string;
} {
  const tlsFields: TemporalTls = {
    ...(config.temporalTlsCert !== ''
      ? {
          clientCertPair: {
            crt: readPem('TEMPORAL_TLS_CERT', config.temporalTlsCert),
            key: readPem('TEMPORAL_TLS_KEY', config.temporalTlsKey),
          },
        }
      : {}),
    ...(config.temporalTlsCa !== ''
      ? { serverRootCACertificate: readPem('TEMPORAL_TLS_CA', config.temporalTlsCa) }
      : {}),
    ...(config.temporalTlsServerName !== '' ? { serverNameOverride: config.temporalTlsServerName } : {}),
  };
  const tls =
    Object.keys(tlsFields).length > 0 ? tlsFields : config.temporalTls || config.temporalApiKey !== '' || undefined;
  return {
    address: config.temporalAddress,
    ...(tls ? { tls } : {}),
    ...(config.temporalApiKey ? { apiKey: config.temporalApiKey } : {}),
  };
}

/** The TLS fields the pipeline sets (the SDK's TLSConfig, the same for both connection kinds). */
export interface TemporalTls {
  readonly clientCertPair?: { readonly crt: Buffer; readonly key: Buffer };
  readonly serverRootCACertificate?: Buffer;
  readonly serverNameOverride?: string;
}

/**
 * A Temporal client of the pipeline: the configured address, TLS and API key, the namespace, and the data converter
 * every process shares (payload encryption). The caller closes `connection`.
 */
export async function connectTemporal(
  config: Config,
  extra: Pick<ConnectionOptions, 'connectTimeout' | 'channelArgs'> = {},
): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), ...extra });
  return { connection, client: pipelineClient(config, connection) };
}

/**
 * The pipeline's client on a connection the caller has (e.g. a worker's NativeConnection in the combined process):
 * the namespace and the shared data converter.
 */
export function pipelineClient(config: Config, connection: ConnectionLike): Client {
  return new Client({ connection, namespace: config.temporalNamespace, dataConverter: temporalDataConverter(config) });
}

/** What a health check needs of a Temporal connection: a client's Connection or a worker's NativeConnection. */
export type TemporalHealth = Pick<Connection, 'healthService' | 'withDeadline'>;

/** One health check of the Temporal frontend; rejects when it does not answer within `deadlineMs`. */
export async function checkTemporal(connection: TemporalHealth, deadlineMs: number): Promise<void> {
  await connection.withDeadline(Date.now() + deadlineMs, () => connection.healthService.check({}));
}
