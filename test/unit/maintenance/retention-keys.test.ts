import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeltaTable, loadSnapshot, TABLE_PROPERTIES } from '@kafka-pipeline/delta-lake';
import { LocalObjectStore } from '../../../src/adapters/storage/local-store';
import { XACT_EVENTS } from '../../../src/domains/xact/tables';
import { loadConfig } from '../../../src/config/config';
import { prepareTable } from '../../../src/maintenance/table-steps';
import { buildMaintenanceDeps } from '../../../src/worker/maintenance-deps';
import { eventRow } from '../../support/xact-rows';

describe('DELTA_LOG_RETENTION and DELTA_DELETED_FILE_RETENTION', () => {
  it('take Delta intervals and refuse anything else, naming the key', () => {
    assert.equal(loadConfig({ DELTA_LOG_RETENTION: 'interval 5 minutes' }).deltaLogRetention, 'interval 5 minutes');
    assert.throws(() => loadConfig({ DELTA_DELETED_FILE_RETENTION: 'five minutes' }), /DELTA_DELETED_FILE_RETENTION/);
  });

  it('are what maintenance gives a table without retentions, and an operator value on the table is kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-keys-'));
    try {
      const store = new LocalObjectStore(dir);
      const config = loadConfig({ DELTA_LOG_RETENTION: 'interval 5 minutes', DELTA_DELETED_FILE_RETENTION: '1 hour' });
      const deps = buildMaintenanceDeps(config, store, { options: { loadedDataConverter: {} } } as never);
      const table = await DeltaTable.open(store, 'Tables/xact_events', XACT_EVENTS);
      await table.append([eventRow(1)]);
      const t = { name: 'xact_events', path: 'Tables/xact_events', def: XACT_EVENTS };
      assert.equal(await prepareTable(store, t, deps.tableProperties), true);
      const conf = (await loadSnapshot(store, t.path)).metaData?.configuration ?? {};
      assert.equal(conf[TABLE_PROPERTIES.logRetention], 'interval 5 minutes');
      assert.equal(conf[TABLE_PROPERTIES.deletedFileRetention], '1 hour');
      // A second run with other settings leaves what the table says (an operator may have changed it).
      await prepareTable(store, t, { [TABLE_PROPERTIES.logRetention]: 'interval 9 days' });
      const again = (await loadSnapshot(store, t.path)).metaData?.configuration ?? {};
      assert.equal(again[TABLE_PROPERTIES.logRetention], 'interval 5 minutes');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
