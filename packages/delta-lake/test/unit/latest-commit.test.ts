import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latestCommit } from '../../src/log';
import { DeltaTable } from '../../src/table';
import { ALL_TYPES } from '../support/all-types';
import { FolderStore } from '../support/folder-store';

describe('latestCommit (version and time of the newest commit)', () => {
  it('is null without a table, then follows each append', async () => {
    const store = new FolderStore(fs.mkdtempSync(path.join(os.tmpdir(), 'latest-commit-')));
    assert.equal(await latestCommit(store, 'Tables/t'), null);
    const table = await DeltaTable.open(store, 'Tables/t', ALL_TYPES);
    const created = await latestCommit(store, 'Tables/t');
    assert.equal(created?.version, 0);
    const before = Date.now();
    await table.append([{ id: 'a', day: '2026-12-04' }]);
    await table.append([{ id: 'b', day: '2026-12-04' }]);
    const latest = await latestCommit(store, 'Tables/t');
    assert.equal(latest?.version, 2);
    assert.ok(latest.timestamp !== null && latest.timestamp >= before && latest.timestamp <= Date.now());
  });
});
