import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../../src/activities';
import type { OpenedDownload } from '../../../src/adapters/http/downloader';
import { loadConfig } from '../../../src/config/config';
import type { AttachmentPlan } from '../../../src/shared/pipeline-types';
import { transferDeps } from '../../support/activity-deps';

const PLAN: AttachmentPlan = {
  url: 'https://files.example/A1/photo.jpg?sig=secret',
  displayUrl: 'https://files.example/A1/photo.jpg',
  mediaId: 'm-1',
  blobPath: 'documentsReceived/A1/t1/photo.jpg',
  fileType: 'JPG',
  ext: 'jpg',
};
const BOUND = 1_000;

/** transferAttachmentLocally, the first attempt of a transfer: the byte bound that hands a file to the regular one. */
describe('transferAttachmentLocally (the local first attempt of a transfer)', () => {
  let dir: string;
  let body: Readable;
  let opens = 0;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-transfer-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const stored = () => path.join(dir, 'Files/x', PLAN.blobPath);

  /** Runs the local attempt on a source of `chunks` that announces `contentLength`. */
  function runLocal(chunks: Buffer[], contentLength: number | null, bound: number | 'absent' = BOUND) {
    body = Readable.from(chunks);
    const opened: OpenedDownload = { body, contentType: 'image/jpeg', contentLength, finalUrl: PLAN.url, redirects: 0 };
    opens = 0;
    const open = () => {
      opens++;
      return Promise.resolve(opened);
    };
    const deps = transferDeps(dir, open, bound === 'absent' ? {} : { localTransferMaxBytes: bound });
    const env = new MockActivityEnvironment({ attempt: 1 }, { logger: new DefaultLogger('ERROR') });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const run = env.run(createActivities(deps).transferAttachmentLocally, PLAN) as Promise<{ bytes: number }>;
    return { run, beats };
  }

  it('a file within the bound is stored, without heartbeats (a local activity has none)', async () => {
    const chunks = [Buffer.alloc(600, 1), Buffer.alloc(400, 2)];
    const { run, beats } = runLocal(chunks, 1_000);
    assert.equal((await run).bytes, 1_000);
    assert.deepEqual(fs.readFileSync(stored()), Buffer.concat(chunks));
    assert.deepEqual(beats, []);
  });

  it('a Content-Length above the bound is handed over before a byte is stored', async () => {
    const err = await runLocal([Buffer.alloc(10)], BOUND + 1).run.catch((e: unknown) => e);
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, 'LocalTransferTooLarge');
    assert.match(err.message, /Content-Length 1001 is over the local transfer's 1000-byte bound/);
    assert.doesNotMatch(err.message, /secret/, 'the signed query is not in the message');
    assert.equal(fs.existsSync(stored()), false);
    assert.ok(body.destroyed, 'the response is closed');
  });

  it('a body that grows past the bound (no Content-Length) is handed over, and no partial file is left', async () => {
    const err = await runLocal([Buffer.alloc(600), Buffer.alloc(600)], null).run.catch((e: unknown) => e);
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, 'LocalTransferTooLarge');
    assert.match(err.message, /the body is over the local transfer's 1000-byte bound/);
    assert.equal(fs.existsSync(stored()), false);
    assert.deepEqual(
      fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.jpg')),
      [],
    );
  });

  it('a lying Content-Length does not let a larger body through', async () => {
    const err = await runLocal([Buffer.alloc(800), Buffer.alloc(800)], 10).run.catch((e: unknown) => e);
    assert.equal((err as ApplicationFailure).type, 'LocalTransferTooLarge');
    assert.equal(fs.existsSync(stored()), false);
  });

  it('bound 0 (or no bound configured): every local attempt hands over without making a request', async () => {
    for (const bound of [0, 'absent'] as const) {
      const err = await runLocal([Buffer.alloc(1)], 1, bound).run.catch((e: unknown) => e);
      assert.equal((err as ApplicationFailure).type, 'LocalTransferTooLarge');
      assert.equal(opens, 0, 'the URL was not opened');
    }
  });

  it('TRANSFER_LOCAL_MAX_BYTES sets the bound (8 MiB by default)', () => {
    assert.equal(loadConfig({}).transferLocalMaxBytes, 8 * 1024 * 1024);
    assert.equal(loadConfig({ TRANSFER_LOCAL_MAX_BYTES: '0' }).transferLocalMaxBytes, 0);
    assert.throws(() => loadConfig({ TRANSFER_LOCAL_MAX_BYTES: '-1' }));
  });
});
