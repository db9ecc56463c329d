import { Client, Connection, type ConnectionLike, type ConnectionOptions } from '@temporalio/client';
import { temporalDataConverter } from '../codec/data-converter';
import type { Config } from './config';
import { temporalConnectionOptions } from './connections';

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
