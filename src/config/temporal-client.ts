import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
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
  const client = new Client({
    connection,
    namespace: config.temporalNamespace,
    dataConverter: temporalDataConverter(config),
  });
  return { connection, client };
}
