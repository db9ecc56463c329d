import type { DeltaStore } from './store';
import { commitPath, loadSnapshotFrom } from './log';
import { readParquetFile } from './parquet-thread';

export interface VerifyReport {
  readonly table: string;
  readonly version: number;
  readonly files: number;
  readonly rows: number;
  readonly problems: string[];
}

/**
 * Checks a table without listing its log: the commits after the last checkpoint are contiguous, `_last_checkpoint` is
 * usable, every live file exists with the size the log records, and no key appears twice. Reads every data file's
 * key column (cost grows with the table).
 */
export async function verifyTable(store: DeltaStore, table: string, keyColumn: string): Promise<VerifyReport> {
  const problems: string[] = [];
  const loaded = await loadSnapshotFrom(store, table);
  const { snapshot } = loaded;
  if (snapshot.version < 0) return { table, version: -1, files: 0, rows: 0, problems: [`${table} has no delta log`] };
  // Commits from the checkpoint on were read one by one, so they are contiguous; a lost commit file ends that run
  // early, which shows as a commit existing one version past the end.
  if ((await store.get(commitPath(table, snapshot.version + 2))) !== undefined)
    problems.push(`log gap: no commit ${snapshot.version + 1}, but commit ${snapshot.version + 2} exists`);
  if (loaded.badHint)
    problems.push('_last_checkpoint is malformed or names a missing checkpoint (loads list the whole log)');
  const seen = new Map<string, string>();
  let rows = 0;
  for (const add of snapshot.files.values()) {
    const bytes = await store.get(`${table}/${decodeURIComponent(add.path)}`);
    if (!bytes) {
      problems.push(`missing data file ${add.path}`);
      continue;
    }
    if (bytes.byteLength !== add.size) problems.push(`${add.path}: ${bytes.byteLength} bytes, log says ${add.size}`);
    const keys = (await readParquetFile(bytes, [keyColumn])).getChild(keyColumn);
    if (!keys) {
      problems.push(`${add.path}: no key column ${keyColumn}`);
      continue;
    }
    for (const k of keys) {
      rows++;
      const key = String(k);
      const first = seen.get(key);
      if (first !== undefined) problems.push(`duplicate ${keyColumn}=${key} in ${first} and ${add.path}`);
      else seen.set(key, add.path);
    }
  }
  return { table, version: snapshot.version, files: snapshot.files.size, rows, problems };
}
