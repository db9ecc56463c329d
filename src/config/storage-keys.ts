import { z } from 'zod';
import { key, nonEmpty, optional, positiveInt, secretKey } from './schemas';

/** Where files and Delta tables go: the local lakehouse folder or a OneLake lakehouse (or any ADLS Gen2 account). */
export const STORAGE_KEYS = {
  storageBackend: key(
    'STORAGE_BACKEND',
    'local',
    'Where files and tables are written: local (LAKEHOUSE_DIR) or onelake (OneLake / ADLS Gen2)',
    z.enum(['local', 'onelake']),
  ),
  lakehouseDir: key(
    'LAKEHOUSE_DIR',
    './lakehouse',
    'Local lakehouse folder (Files/ and Tables/) when STORAGE_BACKEND=local',
    nonEmpty,
  ),
  onelakeDfsUrl: key(
    'ONELAKE_DFS_URL',
    'https://onelake.dfs.fabric.microsoft.com',
    'DFS endpoint (ADLS Gen2: https://<account>.dfs.core.windows.net)',
    z.url(),
  ),
  onelakeBlobUrl: key(
    'ONELAKE_BLOB_URL',
    '',
    'Blob endpoint used for atomic put-if-absent (empty: the DFS URL with .dfs. replaced by .blob.)',
    z.union([z.literal(''), z.url()]),
  ),
  onelakeWorkspace: key(
    'ONELAKE_WORKSPACE',
    '',
    'OneLake workspace name or id (ADLS Gen2: the container); required when STORAGE_BACKEND=onelake',
    optional,
  ),
  onelakeLakehouse: key(
    'ONELAKE_LAKEHOUSE',
    '',
    'Lakehouse item inside the workspace, e.g. Claims.Lakehouse or its id (ADLS Gen2: a folder, may be empty)',
    optional,
  ),
  onelakeAuth: key(
    'ONELAKE_AUTH',
    'default-credential',
    'default-credential (DefaultAzureCredential: workload identity, managed identity, az login) or shared-key',
    z.enum(['default-credential', 'shared-key']),
  ),
  onelakeAccountName: key(
    'ONELAKE_ACCOUNT_NAME',
    '',
    'Storage account name for ONELAKE_AUTH=shared-key (ADLS Gen2 only; OneLake has no account keys)',
    optional,
  ),
  onelakeAccountKey: secretKey(
    'ONELAKE_ACCOUNT_KEY',
    '',
    'Storage account key for ONELAKE_AUTH=shared-key (from a Secret, never from the repo)',
    optional,
  ),
  xactFilesPrefix: key(
    'XACT_FILES_PREFIX',
    'Files/veriskPipeline/xact',
    'Folder of xact attachment files inside the lakehouse',
    nonEmpty,
  ),
  xactEventsTable: key(
    'XACT_EVENTS_TABLE',
    'Tables/xact_events',
    'Delta table of xact events, inside the lakehouse',
    nonEmpty,
  ),
  xactAttachmentsTable: key(
    'XACT_ATTACHMENTS_TABLE',
    'Tables/xact_attachments',
    'Delta table of transferred attachments',
    nonEmpty,
  ),
  deltaFlushRows: key('DELTA_FLUSH_ROWS', '1000', 'Group commit: most rows in one commit', positiveInt),
  deltaCommitIntervalMs: key(
    'DELTA_COMMIT_INTERVAL_MS',
    '200',
    'Group commit: least ms between the starts of two commits of a table by one worker (0 = whenever the writer ' +
      'is idle); rows never wait for company: an idle writer commits at once, rows arriving meanwhile join the next',
    z.coerce.number().int().min(0),
  ),
} as const;

interface StorageSettings {
  storageBackend: 'local' | 'onelake';
  onelakeWorkspace: string;
  onelakeAuth: 'default-credential' | 'shared-key';
  onelakeAccountName: string;
  onelakeAccountKey: string;
}

/** Problems that involve more than one storage key, one line each. */
export function storageProblems(c: StorageSettings): string[] {
  if (c.storageBackend !== 'onelake') return [];
  const problems: string[] = [];
  if (c.onelakeWorkspace === '') problems.push('ONELAKE_WORKSPACE: must be set when STORAGE_BACKEND=onelake');
  if (c.onelakeAuth === 'shared-key') {
    if (c.onelakeAccountName === '') problems.push('ONELAKE_ACCOUNT_NAME: must be set when ONELAKE_AUTH=shared-key');
    if (c.onelakeAccountKey === '') problems.push('ONELAKE_ACCOUNT_KEY: must be set when ONELAKE_AUTH=shared-key');
  }
  return problems;
}
