/**
 * @kafka-pipeline/delta-lake: an append-only Delta Lake writer with one row per key, over any DeltaStore.
 * What it writes, the protocol versions and its guarantees: README.md of this package.
 */
export type { DeltaStore } from './store';
export {
  columnDef,
  DeltaSchemaError,
  type CellValue,
  type ColumnDef,
  type DeltaType,
  type Row,
  type TableDef,
} from './schema';
export { DeltaCommitConflictError, DeltaTable, type AppendResult, type DeltaTableOptions } from './table';
export { DEFAULT_CHECKPOINT_INTERVAL } from './table-types';
export { GroupCommitter, type CallerResult, type GroupCommitOptions } from './group-commit';
export { filesPerPartition, latestCommit, loadSnapshot, type AddAction, type Snapshot } from './log';
export { readTable } from './read';
export { mergeRows, type MergeOptions, type MergeResult } from './merge';
export { compactTable, DEFAULT_COMPACT, type CompactOptions, type CompactReport } from './compact';
export { verifyTable, type VerifyReport } from './verify';
export { cleanupLog, type LogCleanupReport } from './log-cleanup';
export { vacuumTable, type VacuumReport } from './vacuum';
export { DEFAULT_TABLE_PROPERTIES, ensureTableProperties } from './table-properties';
export { expireTombstones, parseInterval, retentionOf, TABLE_PROPERTIES, type TableRetention } from './retention';
export { parquetThreadMemory, stopParquetThread } from './parquet-thread';
export type { ThreadMemory } from './parquet-worker';
