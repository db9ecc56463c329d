import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeltaTable, verifyTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { createObjectStore } from '../../src/wiring/object-store';
import type { ObjectStore } from '../../src/adapters/storage/object-store';
import { loadConfig } from '../../src/config/config';
import { eventRow, range } from '../support/xact-rows';

/**
 * Real OneLake / ADLS Gen2, opt-in: runs only when ONELAKE_TEST_WORKSPACE is set (reported as pending/skipped
 * otherwise). Credentials come the way production gets them: DefaultAzureCredential (az login, workload or managed
 * identity), or ONELAKE_TEST_ACCOUNT_NAME + ONELAKE_TEST_ACCOUNT_KEY for an ADLS Gen2 account.
 *   ONELAKE_TEST_WORKSPACE=<workspace> ONELAKE_TEST_LAKEHOUSE=<name>.Lakehouse npm test
 * Everything is written under Files/kafka-pipeline-selftest/<run id>/ and deleted afterwards (folders stay).
 */
const env = process.env;

describe('OneLake store against the real service (opt-in: ONELAKE_TEST_WORKSPACE)', function () {
  this.timeout(300_000);
  let store: ObjectStore;
  const base = `Files/kafka-pipeline-selftest/${randomUUID()}`;
  const written: string[] = [];

  before(function () {
    if (!env.ONELAKE_TEST_WORKSPACE) return this.skip();
    const shared = env.ONELAKE_TEST_ACCOUNT_KEY ? 'shared-key' : 'default-credential';
    store = createObjectStore(
      loadConfig({
        STORAGE_BACKEND: 'onelake',
        ONELAKE_DFS_URL: env.ONELAKE_TEST_DFS_URL,
        ONELAKE_WORKSPACE: env.ONELAKE_TEST_WORKSPACE,
        ONELAKE_LAKEHOUSE: env.ONELAKE_TEST_LAKEHOUSE,
        ONELAKE_AUTH: shared,
        ONELAKE_ACCOUNT_NAME: env.ONELAKE_TEST_ACCOUNT_NAME,
        ONELAKE_ACCOUNT_KEY: env.ONELAKE_TEST_ACCOUNT_KEY,
      }),
    );
  });
  after(async () => {
    if (store) for (const p of written) await store.delete(p);
  });

  it('streams a 9 MiB object, reads it back, lists and deletes it', async () => {
    const body = randomBytes(9 * 1024 * 1024);
    const p = `${base}/stream.bin`;
    written.push(p);
    assert.equal(await store.put(p, Readable.from([body.subarray(0, 5e6), body.subarray(5e6)])), body.length);
    assert.deepEqual(await store.get(p), body);
    assert.deepEqual(await store.list(base), ['stream.bin']);
    await store.delete(p);
    assert.equal(await store.get(p), undefined);
  });

  it('put-if-absent: one winner among concurrent writers', async () => {
    const p = `${base}/commit.json`;
    written.push(p);
    const results = await Promise.all(range(0, 5).map((i) => store.putIfAbsent(p, Buffer.from(`w${i}`))));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal((await store.get(p))?.toString(), `w${results.indexOf(true)}`);
  });

  it('a Delta table (12 commits, one checkpoint) verifies', async () => {
    const table = await DeltaTable.open(store, `${base}/delta`, XACT_EVENTS, { checkpointInterval: 10 });
    for (const i of range(0, 12)) await table.append([eventRow(i)]);
    const report = await verifyTable(store, `${base}/delta`, 'event_id');
    assert.deepEqual([report.version, report.rows, report.problems], [11, 12, []]);
    for (const name of await store.list(`${base}/delta/_delta_log`)) written.push(`${base}/delta/_delta_log/${name}`);
    for (const file of table.files.values()) written.push(`${base}/delta/${decodeURIComponent(file.path)}`);
  });
});
