/** Where a Delta table's log files live (protocol: `_delta_log/<20-digit version>.json`, checkpoints). */
export const LOG_DIR = '_delta_log';
export const commitPath = (table: string, version: number): string =>
  `${table}/${LOG_DIR}/${String(version).padStart(20, '0')}.json`;
export const checkpointPath = (table: string, version: number): string =>
  `${table}/${LOG_DIR}/${String(version).padStart(20, '0')}.checkpoint.parquet`;
export const lastCheckpointPath = (table: string): string => `${table}/${LOG_DIR}/_last_checkpoint`;
