// Run as a child process by test/unit/main-thread-modules.test.ts: writes a table past a checkpoint, opens it again
// from that checkpoint and prints, as JSON, the packages this (the writer's) thread loaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stopParquetThread } from '../../src/parquet-thread';
import { DeltaTable } from '../../src/table';
import { checkpointPath } from '../../src/log-paths';
import { ALL_TYPES } from './all-types';
import { FolderStore } from './folder-store';

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'main-thread-'));
  try {
    const store = new FolderStore(root);
    const table = await DeltaTable.open(store, 't', ALL_TYPES, { checkpointInterval: 2 });
    for (const id of ['a', 'b', 'c']) await table.append([{ id, day: '2026-12-01' }]);
    const again = await DeltaTable.open(store, 't', ALL_TYPES, { checkpointInterval: 2 });
    await again.append([{ id: 'd', day: '2026-12-01' }]);
    const packages = new Set(
      Object.keys(require.cache).flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? []),
    );
    const checkpoint = fs.existsSync(path.join(root, checkpointPath('t', 2)));
    process.stdout.write(JSON.stringify({ checkpoint, packages: [...packages].sort() }));
  } finally {
    await stopParquetThread();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
