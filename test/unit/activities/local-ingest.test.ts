import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { createLocalIngest, type LocalIngestParts } from '../../../src/activities/local-ingest';
import type { AttachmentPlan, TransferResult } from '../../../src/shared/pipeline-types';
import type { XactEvent } from '../../../src/shared/xact-event';

const plan = (name: string, problem?: AttachmentPlan['problem']): AttachmentPlan => ({
  url: `https://files.example/A1/${name}?sig=secret`,
  displayUrl: `https://files.example/A1/${name}`,
  mediaId: `m-${name}`,
  blobPath: `documentsReceived/A1/${name}`,
  fileType: 'PDF',
  ext: 'pdf',
  ...(problem ? { problem } : {}),
});

const result = (p: AttachmentPlan): TransferResult => ({
  mediaId: p.mediaId,
  blobPath: p.blobPath,
  bytes: 10,
  contentType: 'application/pdf',
  downloadedAt: '2026-01-02T03:04:06.000Z',
});

const event = { traceId: 't-1' } as XactEvent;

/** The parts, each call recorded; `transfer` decides each local attempt. */
function parts(plans: AttachmentPlan[], transfer: LocalIngestParts['transferLocally']) {
  const calls: string[] = [];
  const recorded: string[][] = [];
  const p: LocalIngestParts = {
    recordEventAndPlan: async () => {
      calls.push('recordEventAndPlan');
      return plans;
    },
    transferLocally: (pl, ms) => {
      calls.push(`transfer ${pl.mediaId} ${ms}`);
      return transfer(pl, ms);
    },
    recordAttachments: async (_e, items) => {
      calls.push('recordAttachments');
      recorded.push(items.map((i) => `${i.plan.mediaId}=${i.result.mediaId}`));
      return { written: items.length, duplicates: 0 };
    },
  };
  return { p, calls, recorded };
}

/** The one local step (issue 32): record, plan, local transfers and their rows in one local activity. */
describe('the one local step (ingestXactLocally)', () => {
  const limits = { maxParallel: 4, transferTimeoutMs: 5_000 };

  it('records the event, tries each planned attachment once, records the rows of those transferred', async () => {
    const plans = [plan('a.pdf'), plan('refused.pdf', { type: 'UrlNotAllowed', message: 'host' }), plan('b.pdf')];
    const { p, calls, recorded } = parts(plans, async (pl) => result(pl));
    const out = await createLocalIngest(p).ingestXactLocally(event, '{}', limits);
    assert.deepEqual(out.plans, plans);
    assert.deepEqual(
      out.transferred.map((r) => r.mediaId),
      ['m-a.pdf', 'm-b.pdf'],
    );
    assert.deepEqual(out.handedOver, []);
    // A plan's refusal is not tried (the workflow fails it); each attempt gets the workflow's time bound.
    assert.deepEqual(calls, [
      'recordEventAndPlan',
      'transfer m-a.pdf 5000',
      'transfer m-b.pdf 5000',
      'recordAttachments',
    ]);
    assert.deepEqual(recorded, [['m-a.pdf=m-a.pdf', 'm-b.pdf=m-b.pdf']]);
  });

  it('a failed attempt is handed over with its error, not thrown; only the transferred rows are recorded', async () => {
    const plans = [plan('big.pdf'), plan('flaky.pdf'), plan('ok.pdf')];
    const { p, recorded } = parts(plans, async (pl) => {
      if (pl.mediaId === 'm-big.pdf')
        throw ApplicationFailure.create({ type: 'LocalTransferTooLarge', message: 'over' });
      if (pl.mediaId === 'm-flaky.pdf') {
        throw ApplicationFailure.create({ type: 'HttpTransient', message: 'HTTP 503', details: [{ httpStatus: 503 }] });
      }
      return result(pl);
    });
    const out = await createLocalIngest(p).ingestXactLocally(event, '{}', limits);
    assert.deepEqual(out.handedOver, [
      {
        mediaId: 'm-big.pdf',
        displayUrl: 'https://files.example/A1/big.pdf',
        type: 'LocalTransferTooLarge',
        message: 'over',
        httpStatus: null,
      },
      {
        mediaId: 'm-flaky.pdf',
        displayUrl: 'https://files.example/A1/flaky.pdf',
        type: 'HttpTransient',
        message: 'HTTP 503',
        httpStatus: 503,
      },
    ]);
    assert.deepEqual(recorded, [['m-ok.pdf=m-ok.pdf']]);
  });

  it('nothing transferred: no inventory write', async () => {
    const { p, calls } = parts([plan('gone.pdf')], () => Promise.reject(new Error('socket hang up')));
    const out = await createLocalIngest(p).ingestXactLocally(event, '{}', limits);
    assert.deepEqual(
      out.handedOver.map((h) => [h.type, h.message]),
      [['Unknown', 'socket hang up']],
    );
    assert.ok(!calls.includes('recordAttachments'));
  });

  it('an attempt that never answers is handed over a little after its time bound', async () => {
    const { p } = parts([plan('stuck.pdf')], () => new Promise<never>(() => undefined));
    const out = await createLocalIngest(p).ingestXactLocally(event, '{}', { maxParallel: 1, transferTimeoutMs: 50 });
    assert.deepEqual(
      out.handedOver.map((h) => [h.mediaId, h.type, h.message]),
      [['m-stuck.pdf', 'ActivityTimeout', 'the local attempt timed out (50 ms)']],
    );
  });

  it('a failure to record the event or the rows fails the step (its retry runs it again in full)', async () => {
    const failing = (which: 'recordEventAndPlan' | 'recordAttachments') => {
      const { p } = parts([plan('a.pdf')], async (pl) => result(pl));
      return createLocalIngest({
        ...p,
        [which]: () => Promise.reject(ApplicationFailure.create({ type: 'DeltaCommitConflict', message: which })),
      }).ingestXactLocally(event, '{}', limits);
    };
    await assert.rejects(failing('recordEventAndPlan'), { type: 'DeltaCommitConflict', message: 'recordEventAndPlan' });
    await assert.rejects(failing('recordAttachments'), { type: 'DeltaCommitConflict', message: 'recordAttachments' });
  });

  it('at most maxParallel attempts at once', async () => {
    let now = 0;
    let most = 0;
    const plans = ['1', '2', '3', '4', '5'].map((n) => plan(`${n}.pdf`));
    const { p } = parts(plans, async (pl) => {
      most = Math.max(most, ++now);
      await new Promise((resolve) => setImmediate(resolve));
      now--;
      return result(pl);
    });
    const out = await createLocalIngest(p).ingestXactLocally(event, '{}', { maxParallel: 2, transferTimeoutMs: 5_000 });
    assert.equal(out.transferred.length, 5);
    assert.equal(most, 2);
  });
});
