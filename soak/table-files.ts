import fs from 'node:fs';
import path from 'node:path';
import { filesPerPartition, loadSnapshot } from '@kafka-pipeline/delta-lake';
import { LocalObjectStore } from '../src/adapters/storage/local-store';

/** What a table holds on disk: live data files per partition (most, count of partitions) and log files. */
export interface TableFiles {
  readonly version: number;
  readonly partitions: number;
  readonly maxDataFilesPerPartition: number;
  readonly dataFiles: number;
  /** Every file in _delta_log (commits, checkpoints, _last_checkpoint). */
  readonly logFiles: number;
  /** Parquet files in the table folder, live or not (vacuum removes the dead ones). */
  readonly parquetFilesOnDisk: number;
}

function countParquet(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '_delta_log') continue;
    if (entry.isDirectory()) n += countParquet(path.join(dir, entry.name));
    else if (entry.name.endsWith('.parquet')) n++;
  }
  return n;
}

export async function tableFiles(tableDir: string): Promise<TableFiles> {
  const store = new LocalObjectStore(path.dirname(tableDir));
  const snapshot = await loadSnapshot(store, path.basename(tableDir));
  const perPartition = filesPerPartition(snapshot);
  let most = 0;
  for (const n of perPartition.values()) most = Math.max(most, n);
  return {
    version: snapshot.version,
    partitions: perPartition.size,
    maxDataFilesPerPartition: most,
    dataFiles: snapshot.files.size,
    logFiles: fs.readdirSync(path.join(tableDir, '_delta_log')).length,
    parquetFilesOnDisk: countParquet(tableDir),
  };
}
