import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeltaTable, verifyTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { eventRow, range } from '../support/xact-rows';

describe('delta verify', () => {
  let root: string;
  let store: LocalObjectStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'delta-verify-'));
    store = new LocalObjectStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('passes a table the writer made and names each kind of damage', async () => {
    const table = await DeltaTable.open(store, 't', XACT_EVENTS);
    for (const i of range(0, 3)) await table.append([eventRow(i)]);
    const clean = await verifyTable(store, 't', 'event_id');
    assert.deepEqual([clean.version, clean.files, clean.rows, clean.problems], [3, 3, 3, []]);

    // A second commit adding a copy of an existing file duplicates its keys.
    const [first] = [...table.files.values()];
    fs.writeFileSync(
      path.join(root, 't', '_delta_log', '00000000000000000004.json'),
      JSON.stringify({ add: { ...first, path: first!.path.replace('part-', 'copy-') } }) + '\n',
    );
    fs.copyFileSync(
      path.join(root, 't', decodeURIComponent(first!.path)),
      path.join(root, 't', decodeURIComponent(first!.path).replace('part-', 'copy-')),
    );
    fs.rmSync(path.join(root, 't', decodeURIComponent([...table.files.values()][1]!.path)));
    const damaged = await verifyTable(store, 't', 'event_id');
    assert.equal(damaged.problems.length, 2, damaged.problems.join('\n'));
    assert.match(damaged.problems.join('\n'), /duplicate event_id=evt-\d/);
    assert.match(damaged.problems.join('\n'), /missing data file/);
  });
});
