import { DefaultAzureCredential } from '@azure/identity';
import { LocalObjectStore } from '../adapters/storage/local-store';
import type { ObjectStore } from '../adapters/storage/object-store';
import { OneLakeStore } from '../adapters/storage/onelake-store';
import type { Config } from './config';

type StorageConfig = Pick<
  Config,
  | 'storageBackend'
  | 'lakehouseDir'
  | 'onelakeDfsUrl'
  | 'onelakeBlobUrl'
  | 'onelakeWorkspace'
  | 'onelakeLakehouse'
  | 'onelakeAuth'
  | 'onelakeAccountName'
  | 'onelakeAccountKey'
>;

/** The object store STORAGE_BACKEND selects: the local lakehouse folder, or OneLake / ADLS Gen2. */
export function createObjectStore(config: StorageConfig): ObjectStore {
  if (config.storageBackend === 'local') return new LocalObjectStore(config.lakehouseDir);
  return new OneLakeStore({
    dfsUrl: config.onelakeDfsUrl,
    blobUrl: config.onelakeBlobUrl || undefined,
    workspace: config.onelakeWorkspace,
    lakehouse: config.onelakeLakehouse,
    credential:
      config.onelakeAuth === 'shared-key'
        ? { accountName: config.onelakeAccountName, accountKey: config.onelakeAccountKey }
        : new DefaultAzureCredential(),
  });
}

/** Where the DLQ archive, the inputs it keeps and the audit trail live in the lakehouse. */
export function dlqTables(config: Pick<Config, 'dlqArchiveTable' | 'dlqArchiveFilesPrefix' | 'dlqAuditTable'>) {
  return {
    archiveTable: config.dlqArchiveTable,
    archiveInputsPrefix: config.dlqArchiveFilesPrefix,
    auditTable: config.dlqAuditTable,
  };
}
