import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../../src/activities';
import { DownloadError } from '../../../src/adapters/http/download-error';
import type { Downloader } from '../../../src/adapters/http/downloader';
import type { AttachmentPlan, RetrySchedule } from '../../../src/shared/pipeline-types';
import { transferDeps } from '../../support/activity-deps';

const PLAN: AttachmentPlan = {
  url: 'https://files.example/A1/estimate.pdf?sig=secret',
  displayUrl: 'https://files.example/A1/estimate.pdf',
  mediaId: 'm-1',
  blobPath: 'documentsReceived/A1/t1/estimate.pdf',
  fileType: 'PDF',
  ext: 'pdf',
};
const LADDER: RetrySchedule = {
  initialIntervalMs: 300_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 2_400_000,
  maximumAttempts: 5,
};

// The activity's own warn lines are expected here; keep the test output readable.
const quiet = { logger: new DefaultLogger('ERROR') };
const mockEnv = (attempt = 1) => new MockActivityEnvironment({ attempt }, quiet);

/** Activity tests in Temporal's mock activity context: heartbeats, cancellation and retry delays, no server. */
describe('transferAttachment in a mock activity environment', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'activities-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function activities(open: Downloader['open']) {
    return createActivities(transferDeps(dir, open));
  }
  const body = (chunks: Buffer[]) =>
    Promise.resolve({
      body: Readable.from(chunks),
      contentType: 'application/pdf',
      contentLength: null,
      finalUrl: PLAN.url,
      redirects: 0,
    });

  it('streams the file into the store and heartbeats the bytes moved', async () => {
    const env = mockEnv();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const chunks = [Buffer.alloc(1000, 1), Buffer.alloc(500, 2), Buffer.alloc(250, 3)];
    const result = (await env.run(activities(() => body(chunks)).transferAttachment, PLAN, LADDER)) as {
      bytes: number;
    };
    assert.equal(result.bytes, 1750);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'Files/x', PLAN.blobPath)), Buffer.concat(chunks));
    assert.deepEqual(beats, [{ bytes: 1000 }, { bytes: 1500 }, { bytes: 1750 }]);
  });

  it('stops when the activity is cancelled, and leaves no file', async () => {
    const env = mockEnv();
    // A source that sends one chunk, then nothing: the transfer waits until it is cancelled.
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.alloc(100));
    const open: Downloader['open'] = (_url, signal) => {
      signal?.addEventListener('abort', () => stalled.destroy(new Error('aborted')));
      return Promise.resolve({
        body: stalled,
        contentType: null,
        contentLength: null,
        finalUrl: PLAN.url,
        redirects: 0,
      });
    };
    const running = env.run(activities(open).transferAttachment, PLAN, LADDER);
    env.once('heartbeat', () => env.cancel());
    await assert.rejects(running);
    assert.equal(fs.existsSync(path.join(dir, 'Files/x', PLAN.blobPath)), false);
  });

  it("a transient failure waits the RETRY_* ladder's delay; a permanent one is not retried", async () => {
    const failing = (err: Error) => () => Promise.reject(err);
    const third = mockEnv(3);
    const transient = await third
      .run(activities(failing(new DownloadError('HttpTransient', 'HTTP 503', 503))).transferAttachment, PLAN, LADDER)
      .catch((e: unknown) => e);
    assert.ok(transient instanceof ApplicationFailure);
    assert.equal(transient.type, 'HttpTransient');
    assert.equal(transient.nonRetryable, false);
    assert.equal(transient.nextRetryDelay, 1_200_000, '300 s × 2² on the third attempt');
    const permanent = await mockEnv(1)
      .run(activities(failing(new DownloadError('HttpPermanent', 'HTTP 404', 404))).transferAttachment, PLAN, LADDER)
      .catch((e: unknown) => e);
    assert.ok(permanent instanceof ApplicationFailure);
    assert.equal(permanent.nonRetryable, true);
    assert.equal(permanent.nextRetryDelay, undefined);
  });
});
