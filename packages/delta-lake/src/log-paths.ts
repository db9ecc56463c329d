/** Where a Delta table's log files live (protocol: `_delta_log/<20-digit version>.json`, checkpoints). */
export const LOG_DIR = '_delta_log';
export const commitPath = (table: string, version: number): string =>
  `${table}/${LOG_DIR}/${String(version).padStart(20, '0')}.json`;
export const checkpointPath = (table: string, version: number): string =>
  `${table}/${LOG_DIR}/${String(version).padStart(20, '0')}.checkpoint.parquet`;
export const lastCheckpointPath = (table: string): string => `${table}/${LOG_DIR}/_last_checkpoint`;
/** Part `part` (1-based) of a multi-part checkpoint of `parts` files. */
export const checkpointPartPath = (table: string, version: number, part: number, parts: number): string =>
  `${table}/${LOG_DIR}/${String(version).padStart(20, '0')}.checkpoint.${String(part).padStart(10, '0')}.${String(parts).padStart(10, '0')}.parquet`;
