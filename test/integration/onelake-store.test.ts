import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { GroupCommitter, DeltaTable } from '@kafka-pipeline/delta-lake';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { OneLakeStore } from '../../src/adapters/storage/onelake-store';
import { AZURITE_ACCOUNT, AzuriteBlob } from '../support/azurite';
import { readWithDeltaRs } from '../support/delta-rs';
import { OneLakeDfsStandIn } from '../support/onelake-dfs-stand-in';
import { eventRow, range } from '../support/xact-rows';

const MiB = 1024 * 1024;

function chunks(total: number, size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(size, total - sent);
      this.push(Buffer.alloc(n, sent % 251));
      sent += n;
    },
  });
}

describe('OneLake store against the DFS stand-in (request shapes)', () => {
  let dir: string;
  let standIn: OneLakeDfsStandIn;
  let store: OneLakeStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelake-standin-'));
    standIn = new OneLakeDfsStandIn(dir);
    const url = await standIn.start();
    store = new OneLakeStore({
      dfsUrl: url,
      workspace: 'ws',
      lakehouse: 'Claims.Lakehouse',
      credential: AZURITE_ACCOUNT,
    });
  });
  afterEach(async () => {
    await standIn.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('streams a put through a staging file: bounded appends at contiguous positions, flush, rename', async () => {
    const size = await store.put('Files/xact/A1/doc.pdf', chunks(10 * MiB + 123, 64 * 1024));
    assert.equal(size, 10 * MiB + 123);
    const appends = standIn.ops('dfs.append');
    assert.ok(appends.length >= 3, `appends: ${appends.length}`);
    assert.ok(
      appends.every((a) => a.bytes <= 4 * MiB),
      'every append is at most 4 MiB',
    );
    assert.equal(new Set(appends.map((a) => a.path)).size, 1);
    assert.match(appends[0]!.path, /^ws\/Claims\.Lakehouse\/Files\/xact\/A1\/\.tmp-/);
    const [rename] = standIn.ops('dfs.rename');
    assert.equal(rename!.path, 'ws/Claims.Lakehouse/Files/xact/A1/doc.pdf');
    assert.equal(rename!.headers['x-ms-rename-source'], `/${appends[0]!.path}`);
    assert.deepEqual(standIn.ops('blob.put'), [], 'a plain put never uses the conditional Blob create');
    const onDisk = fs.readFileSync(path.join(dir, 'ws/Claims.Lakehouse/Files/xact/A1/doc.pdf'));
    assert.equal(onDisk.length, size);
    assert.deepEqual(await store.list('Files/xact/A1'), ['doc.pdf'], 'staging files are gone and never listed');
    assert.deepEqual(standIn.violations, []);
  });

  it('a failing source stream leaves no object and no staging file behind', async () => {
    const source = chunks(8 * MiB, 64 * 1024);
    let n = 0;
    source.on('data', () => {
      if (++n === 20) source.destroy(new Error('connection reset by sample server'));
    });
    await assert.rejects(store.put('Files/xact/A1/broken.pdf', source), /connection reset/);
    assert.equal(await store.get('Files/xact/A1/broken.pdf'), undefined);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'ws/Claims.Lakehouse/Files/xact/A1')), []);
  });

  it('put-if-absent is one Put Blob with If-None-Match: * carrying the whole body; the loser changes nothing', async () => {
    const p = 'Tables/t/_delta_log/00000000000000000000.json';
    const results = await Promise.all(range(0, 8).map((i) => store.putIfAbsent(p, Buffer.from(`writer ${i}\n`))));
    assert.equal(results.filter(Boolean).length, 1);
    const winner = results.indexOf(true);
    assert.equal((await store.get(p))?.toString(), `writer ${winner}\n`);
    const puts = standIn.ops('blob.put');
    assert.equal(puts.length, 8);
    assert.ok(puts.every((r) => r.headers['if-none-match'] === '*' && r.bytes === `writer 0\n`.length));
    assert.deepEqual(standIn.ops('dfs.create'), [], 'no DFS create on the commit path');
  });

  it('get/list/delete: missing objects and folders are not errors', async () => {
    assert.equal(await store.get('Files/none.bin'), undefined);
    assert.deepEqual(await store.list('Files/none'), []);
    await store.delete('Files/none.bin');
    await store.put('Files/d/a.bin', Buffer.from('a'));
    await store.put('Files/d/sub/b.bin', Buffer.from('b'));
    assert.deepEqual(await store.list('Files/d'), ['a.bin'], 'folders are not objects');
    await store.put('Files/d/a.bin', Buffer.from('second'));
    assert.equal((await store.get('Files/d/a.bin'))?.toString(), 'second', 'put overwrites');
    await store.delete('Files/d/a.bin');
    assert.deepEqual(await store.list('Files/d'), []);
    await assert.rejects(store.put('Files/../../etc/x', Buffer.from('x')), /escapes/);
    assert.deepEqual(standIn.violations, []);
  });

  it('a Delta table written through the adapter (group commit, checkpoints) reads back in delta-rs', async () => {
    const table = await DeltaTable.open(store, 'Tables/xact_events', XACT_EVENTS, { checkpointInterval: 10 });
    const committer = new GroupCommitter(table, { maxRows: 25, minIntervalMs: 0 });
    await Promise.all(range(0, 300).map((i) => committer.append([eventRow(i)])));
    await Promise.all(range(0, 300).map((i) => committer.append([eventRow(i)]))); // replays: keys already there
    assert.ok(table.version >= 10, `version ${table.version} (a checkpoint was written)`);
    const view = await readWithDeltaRs(path.join(dir, 'ws/Claims.Lakehouse/Tables/xact_events'));
    assert.equal(view.rows.length, 300);
    assert.equal(new Set(view.rows.map((r) => r.event_id)).size, 300);
    assert.ok(fs.existsSync(path.join(dir, 'ws/Claims.Lakehouse/Tables/xact_events/_delta_log/_last_checkpoint')));
    assert.ok(standIn.ops('blob.put').length >= table.version + 1, 'every commit went through put-if-absent');
    assert.deepEqual(standIn.violations, []);
  });
});

describe('OneLake store put-if-absent against Azurite (real Blob service)', () => {
  const azurite = new AzuriteBlob();
  let store: OneLakeStore;
  before(async function () {
    this.timeout(60_000);
    const url = await azurite.start();
    const container = new ContainerClient(
      `${url}/workspace`,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT.accountName, AZURITE_ACCOUNT.accountKey),
    );
    await container.create();
    // Only putIfAbsent is exercised here: Azurite does not serve the DFS API the other operations use.
    store = new OneLakeStore({
      dfsUrl: url,
      blobUrl: url,
      workspace: 'workspace',
      lakehouse: 'lh',
      credential: AZURITE_ACCOUNT,
    });
  });
  after(() => azurite.stop());

  it('exactly one of many concurrent writers creates each commit file, with its whole body', async () => {
    for (const version of range(0, 5)) {
      const p = `Tables/t/_delta_log/${String(version).padStart(20, '0')}.json`;
      const bodies = range(0, 10).map(() => randomBytes(2048));
      const results = await Promise.all(bodies.map((b) => store.putIfAbsent(p, b)));
      assert.equal(results.filter(Boolean).length, 1, `version ${version}: ${results}`);
      const container = new ContainerClient(
        `${azurite.url}/workspace`,
        new StorageSharedKeyCredential(AZURITE_ACCOUNT.accountName, AZURITE_ACCOUNT.accountKey),
      );
      const stored = await container.getBlobClient(`lh/${p}`).downloadToBuffer();
      assert.deepEqual(stored, bodies[results.indexOf(true)]);
    }
  });
});
