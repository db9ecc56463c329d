import type { DeltaStore } from './store';
import { commitInfo, loadSnapshot, type MetaData } from './log';
import type { DeltaTable } from './table';
import { TABLE_PROPERTIES } from './retention';
import { DEFAULT_CHECKPOINT_INTERVAL } from './table-types';

export { TABLE_PROPERTIES };

/**
 * Our defaults, set on a table that has none of its own (an operator's value is kept). Delta's defaults (30 days of
 * log, 1 week of removed files) assume a commit every few minutes; the pipeline commits several times a second
 * per table, so at 4 commits/s a 30-day log would hold ~10 million files. With these, the log holds at most
 * rate x (log retention + maintenance interval) commits plus one checkpoint per delta.checkpointInterval commits:
 * 4/s x 3 h = 43,200 commits and 864 checkpoints with a 1 h maintenance interval (the writer's interval, 50).
 * Removed data files stay as long as the log: a version whose commits log cleanup deleted cannot be loaded any more,
 * so older files serve no reader. And every removed file is a tombstone in the writer's memory and in each
 * checkpoint until 2 x this retention (retention.ts): with Delta's week, or a day, a table compacted at 4
 * commits/s would hold ~700,000 tombstones after two days (~300 MB of a worker's heap, 30 s per checkpoint); with
 * 2 hours, ~58,000 (issue 31, docs/reliability.md).
 */
export const DEFAULT_TABLE_PROPERTIES: Readonly<Record<string, string>> = {
  [TABLE_PROPERTIES.logRetention]: 'interval 2 hours',
  [TABLE_PROPERTIES.deletedFileRetention]: 'interval 2 hours',
  [TABLE_PROPERTIES.checkpointInterval]: String(DEFAULT_CHECKPOINT_INTERVAL),
};

/**
 * Adds the properties the table does not set yet, in one metaData commit (Spark's SET TBLPROPERTIES); values the
 * table already has are kept. Returns the table's configuration afterwards. Conflict-checked like any commit: when
 * another writer wins the version, the change is planned again on the newer metaData.
 */
export async function ensureTableProperties(
  store: DeltaStore,
  table: DeltaTable,
  wanted: Readonly<Record<string, string>> = DEFAULT_TABLE_PROPERTIES,
): Promise<Record<string, string>> {
  let configuration: Record<string, string> = {};
  await table.transact(async () => {
    const meta = (await loadSnapshot(store, table.path)).metaData;
    if (!meta) throw new Error(`${table.path}: delta log has no metaData`);
    configuration = { ...meta.configuration };
    const missing = Object.entries(wanted).filter(([k]) => !(k in configuration));
    if (missing.length === 0) return null;
    configuration = { ...Object.fromEntries(missing), ...configuration };
    const metaData: MetaData = { ...meta, configuration };
    const info = commitInfo('SET TBLPROPERTIES', { properties: JSON.stringify(Object.fromEntries(missing)) });
    return { actions: [{ commitInfo: { ...info, isBlindAppend: false } }, { metaData }], result: null };
  });
  return configuration;
}
