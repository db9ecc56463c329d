/** The object store, built from the configuration for the entry points (bridge, worker, CLI). */
import { DefaultAzureCredential } from '@azure/identity';
import { LocalObjectStore } from '../adapters/storage/local-store';
import type { ObjectStore } from '../adapters/storage/object-store';
import { OneLakeStore } from '../adapters/storage/onelake-store';
import type { StorageSettings } from '../config/settings';

/** The object store STORAGE_BACKEND selects: the local lakehouse folder, or OneLake / ADLS Gen2. */
export function createObjectStore(config: StorageSettings): ObjectStore {
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
