import fs from 'node:fs';
import path from 'node:path';
import { checkpointActions, writeCheckpoint } from '../../src/checkpoint';
import { commitPath, checkpointPath, lastCheckpointPath, loadSnapshot } from '../../src/log';
import type { Row, TableDef } from '../../src/schema';
import { DeltaTable } from '../../src/table';
import { DEFAULT_CHECKPOINT_INTERVAL } from '../../src/table-types';
import { FolderStore } from './folder-store';

export interface LongLog {
  /** The newest version (the last fixture commit). */
  readonly version: number;
  /** The newest checkpoint (what `_last_checkpoint` names). */
  readonly checkpoint: number;
  readonly liveFiles: number;
}

/**
 * A table on a local folder whose log holds `commits` commits and the checkpoints a writer with
 * `checkpointInterval` would have made, written straight to the folder (a real writer takes hours for this).
 * The table is created and `rows` appended by the writer; the commits after that each hold one commitInfo (an
 * append whose rows were all there already would commit nothing, so this is the smallest commit), so every
 * checkpoint holds the same state: the one written by the writer, reused as bytes.
 */
export async function buildLongLog(
  root: string,
  table: string,
  def: TableDef,
  rows: readonly Row[],
  commits: number,
  checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL,
): Promise<LongLog> {
  const store = new FolderStore(root);
  const writer = await DeltaTable.open(store, table, def, { checkpointInterval: 0 });
  if (rows.length > 0) await writer.append(rows);
  const state = await loadSnapshot(store, table);
  const cpActions = checkpointActions(state);
  const cpBytes = await writeCheckpoint(cpActions);
  const start = Date.now() - commits; // one millisecond apart, in order
  let checkpoint = -1;
  for (let v = state.version + 1; v <= commits; v++) {
    const info = { commitInfo: { timestamp: start + v, operation: 'WRITE', operationParameters: { mode: 'Append' } } };
    fs.writeFileSync(path.join(root, commitPath(table, v)), JSON.stringify(info) + '\n');
    if (checkpointInterval > 0 && v % checkpointInterval === 0) {
      // Same bytes every time: a hard link to the first saves the disk space of thousands of copies.
      if (checkpoint < 0) fs.writeFileSync(path.join(root, checkpointPath(table, v)), cpBytes);
      else fs.linkSync(path.join(root, checkpointPath(table, checkpoint)), path.join(root, checkpointPath(table, v)));
      checkpoint = v;
    }
  }
  if (checkpoint >= 0) {
    const hint = { version: checkpoint, size: cpActions.length, sizeInBytes: cpBytes.byteLength };
    fs.writeFileSync(path.join(root, lastCheckpointPath(table)), JSON.stringify(hint));
  }
  return { version: Math.max(commits, state.version), checkpoint, liveFiles: state.files.size };
}
