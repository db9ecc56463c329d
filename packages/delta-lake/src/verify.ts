import type { DeltaStore } from './store';
import { commitPath, LOG_DIR, loadSnapshot } from './log';
import { readParquet } from './parquet';

export interface VerifyReport {
  readonly table: string;
  readonly version: number;
  readonly files: number;
  readonly rows: number;
  readonly problems: string[];
}

/**
 * Checks a table: the log versions are contiguous, every live file exists with the size the log records, and
 * no key appears twice. Reads every data file's key column (cost grows with the table).
 */
export async function verifyTable(store: DeltaStore, table: string, keyColumn: string): Promise<VerifyReport> {
  const problems: string[] = [];
  const snapshot = await loadSnapshot(store, table);
  if (snapshot.version < 0) return { table, version: -1, files: 0, rows: 0, problems: [`${table} has no delta log`] };
  const names = await store.list(`${table}/${LOG_DIR}`);
  const versions = names
    .filter((n) => /^\d{20}\.json$/.test(n))
    .map((n) => Number(n.slice(0, 20)))
    .sort((a, b) => a - b);
  for (let i = 1; i < versions.length; i++) {
    if (versions[i] !== versions[i - 1] + 1)
      problems.push(`log gap: no commit between ${versions[i - 1]} and ${versions[i]}`);
  }
  if ((await store.get(commitPath(table, snapshot.version))) === undefined)
    problems.push(`latest commit ${snapshot.version} is unreadable`);
  const seen = new Map<string, string>();
  let rows = 0;
  for (const add of snapshot.files.values()) {
    const bytes = await store.get(`${table}/${decodeURIComponent(add.path)}`);
    if (!bytes) {
      problems.push(`missing data file ${add.path}`);
      continue;
    }
    if (bytes.byteLength !== add.size) problems.push(`${add.path}: ${bytes.byteLength} bytes, log says ${add.size}`);
    const keys = readParquet(bytes, [keyColumn]).getChild(keyColumn);
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
