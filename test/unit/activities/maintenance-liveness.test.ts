import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createMaintenanceActivities, MAINTENANCE_LIVENESS_MS } from '../../../src/activities/maintenance';
import { LocalObjectStore } from '../../../src/adapters/storage/local-store';
import { XACT_EVENTS } from '../../../src/domains/xact/tables';

/**
 * A maintenance step heartbeats while it runs, so the workflow's heartbeat timeout (not the 1-hour start-to-close
 * timeout) ends a step lost with its worker: seen in the soak, where a step whose task was lost held its table's
 * schedule (overlap SKIP) for as long as the run lived.
 */
describe('maintenance activities heartbeat while a step runs', function () {
  this.timeout(4 * MAINTENANCE_LIVENESS_MS);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maintenance-liveness-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('heartbeats at the start and every few seconds until the step ends', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // A store whose listing waits until the test has seen the step heartbeat twice (a slow table).
    const store = new LocalObjectStore(dir);
    const slowList = store.list.bind(store);
    store.list = async (prefix: string) => {
      await held;
      return slowList(prefix);
    };
    const activities = createMaintenanceActivities(store, {
      tables: new Map([['xact_events', { name: 'xact_events', path: 'Tables/xact_events', def: XACT_EVENTS }]]),
      targetFileBytes: 1 << 20,
      sideFiles: {
        runs: { referencedPaths: () => Promise.resolve(new Set<string>()) } as never,
        archiveInputsPrefix: 'x',
        retentionMs: 1,
      },
    });
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('WARN') });
    let beats = 0;
    env.on('heartbeat', () => {
      beats++;
      if (beats === 2) release();
    });
    const exists = await env.run(activities.prepareTableMaintenance, 'xact_events');
    assert.equal(exists, false, 'a table with no log has nothing to maintain');
    assert.ok(beats >= 2, `expected a heartbeat at the start and one while the step waited, saw ${beats}`);
    const after = beats;
    await new Promise((r) => setImmediate(r));
    assert.equal(beats, after, 'no heartbeat after the step ended');
  });
});
