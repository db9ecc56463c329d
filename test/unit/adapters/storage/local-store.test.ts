import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../../../src/adapters/storage/local-store';

describe('LocalObjectStore durability', () => {
  let root: string;
  let synced: string[];
  const realOpen = fsp.open;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-store-'));
    synced = [];
    // Records every directory the store fsyncs (it opens a directory only to fsync it).
    fsp.open = (async (
      p: fs.PathLike,
      ...rest: Parameters<typeof fsp.open> extends [unknown, ...infer R] ? R : never
    ) => {
      const handle = await realOpen(p, ...rest);
      if (fs.statSync(p).isDirectory()) {
        const sync = handle.sync.bind(handle);
        handle.sync = async () => {
          synced.push(path.relative(root, String(p)) || '.');
          return sync();
        };
      }
      return handle;
    }) as typeof fsp.open;
  });

  afterEach(() => {
    fsp.open = realOpen;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('fsyncs the directory of a new name, and the parents of the directories it made', async () => {
    const store = new LocalObjectStore(root);
    await store.put('t/day=1/a.parquet', Buffer.from('a'));
    assert.deepEqual(synced, [path.join('t', 'day=1'), 't', '.']);
    synced = [];
    assert.equal(await store.putIfAbsent('t/day=1/b.json', Buffer.from('b')), true);
    assert.deepEqual(synced, [path.join('t', 'day=1')]); // the directory existed already
    synced = [];
    assert.equal(await store.putIfAbsent('t/day=1/b.json', Buffer.from('c')), false);
    assert.deepEqual(synced, []); // nothing new to make durable
    assert.equal(fs.readFileSync(path.join(root, 't/day=1/b.json'), 'utf8'), 'b');
  });
});
