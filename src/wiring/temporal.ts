/** Temporal clients of the pipeline, built from the configuration for the entry points (bridge, worker, run, CLI). */
import fs from 'node:fs';
import { Client, Connection, type ConnectionLike, type ConnectionOptions } from '@temporalio/client';
import { temporalDataConverter } from '../codec/data-converter';
import type { Config } from '../config/config';
import type { TemporalSettings } from '../config/settings';

/**
 * gRPC channel settings of the bridge's and the CLI's Temporal client: reconnect at most 1 s apart (grpc-js backs
 * off up to 2 minutes by default), so a client notices within a second that Temporal is back.
 */
export const FAST_RECONNECT_CHANNEL_ARGS = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1_000,
} as const;

/** Temporal connection settings: address, TLS (server-verified, or mTLS with a client pair), Cloud API key. */
export function temporalConnectionOptions(config: TemporalSettings): {
  address: string;
  tls?: boolean | { clientCertPair: { crt: Buffer; key: Buffer } };
  apiKey?: string;
} {
  const mtls =
    config.temporalTlsCert !== ''
      ? {
          clientCertPair: { crt: fs.readFileSync(config.temporalTlsCert), key: fs.readFileSync(config.temporalTlsKey) },
        }
      : undefined;
  const tls = mtls ?? (config.temporalTls || config.temporalApiKey !== '' ? true : undefined);
  return {
    address: config.temporalAddress,
    ...(tls ? { tls } : {}),
    ...(config.temporalApiKey ? { apiKey: config.temporalApiKey } : {}),
  };
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
