import assert from 'node:assert/strict';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { parseRunHistory } from '../../src/dlq/history';
import type { AttachmentPlan } from '../../src/shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { input, localTestEnvironment, plan, recordOk, runStubbed, transferred } from '../support/stubbed-workflow';

const ET = temporal.api.enums.v1.EventType;

/**
 * Local first, regular on trouble (issue 32): ingestXactEvent's transfers over stubbed activities on the local
 * Temporal server. Whatever ends the local attempt, the regular activity takes the attachment over, and its own
 * failures and attempts are what the history, the search attributes and `dlq view` show.
 */
describe('local-first transfers with stubbed activities', function () {
  this.timeout(120_000);
  const testEnv = localTestEnvironment();

  it('too large or failed locally: the regular activity takes over; its failures and attempts are in the history', async () => {
    const { error, calls, attributes, outcomes, history } = await run();
    assert.ok(error instanceof WorkflowFailedError);
    assert.match((error.cause as ApplicationFailure).message, /1 of 2 attachment\(s\) failed \(1 transferred/);
    assert.match((error.cause as ApplicationFailure).message, /flaky\.pdf -> HttpTransient: HTTP 503/);
    // Each attachment: one local attempt, then the regular activity with the run's RETRY_* schedule.
    const regular = calls.filter((c) => c.name === 'transferAttachment');
    assert.deepEqual(regular.map((c) => (c.args[0] as AttachmentPlan).mediaId).sort(), [
      'm-big.pdf',
      'm-flaky.pdf',
      'm-flaky.pdf',
    ]);
    assert.deepEqual(regular[0]!.args[1], input('x').retry);
    assert.equal(calls.filter((c) => c.name === 'transferAttachmentLocally').length, 2, 'never retried locally');

    const events = history.events ?? [];
    const failed = events.filter((e) => e.eventType === ET.EVENT_TYPE_ACTIVITY_TASK_FAILED);
    assert.equal(failed.length, 1, 'the regular activity failed once, after its last attempt');
    const scheduledId = String(failed[0]!.activityTaskFailedEventAttributes!.scheduledEventId);
    const started = events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === scheduledId);
    assert.equal(started?.activityTaskStartedEventAttributes?.attempt, 2);
    assert.equal(attributes.get(SEARCH_ATTRIBUTES.errorCategory), 'transient');
    assert.equal(attributes.get(SEARCH_ATTRIBUTES.failedStage), 'download');
    assert.deepEqual(outcomes, ['failed xact transient download']);

    // dlq view's failure chain: the local attempts' outcomes first, then the regular activity's attempts.
    const steps = parseRunHistory(history).steps.map((s) => `${s.activity} ${s.type} ${s.attempts}`);
    assert.deepEqual(steps.slice(-1), ['transferAttachment HttpTransient 2']);
    assert.deepEqual(steps.slice(0, -1).sort(), [
      'ingestXactLocally (local attempt) HttpTransient 1',
      'ingestXactLocally (local attempt) LocalTransferTooLarge 1',
    ]);
    const local = parseRunHistory(history).steps.filter((s) => s.activity.startsWith('ingestXactLocally'));
    assert.deepEqual(local.map((s) => [s.target, s.httpStatus]).sort(), [
      ['https://files.example/A1/big.pdf', null],
      ['https://files.example/A1/flaky.pdf', 503],
    ]);
  });

  it('a local attempt past its time bound is handed over, and the regular activity transfers the file', async () => {
    const { result, calls } = await runStubbed(testEnv(), {
      recordEventAndPlan: async () => [plan('slow.pdf')],
      // Never answers within the local attempt's time bound: returns only once Temporal cancels it.
      transferAttachmentLocally: () =>
        new Promise((_resolve, reject) => {
          const signal = Context.current().cancellationSignal;
          signal.addEventListener('abort', () => reject(new Error('cancelled at the local time bound')));
        }),
      transferAttachment: async (p: AttachmentPlan) => transferred(p),
      recordAttachments: recordOk,
    });
    assert.deepEqual(
      result?.attachments.map((a) => a.status),
      ['transferred'],
    );
    assert.deepEqual(
      calls.map((c) => c.name),
      ['recordEventAndPlan', 'transferAttachmentLocally', 'transferAttachment', 'recordAttachments'],
    );
  });

  /** big.pdf: declined locally, transferred by the regular activity; flaky.pdf: 503 everywhere, 2 regular attempts. */
  function run() {
    return runStubbed(testEnv(), {
      recordEventAndPlan: async () => [plan('big.pdf'), plan('flaky.pdf')],
      transferAttachmentLocally: async (p: AttachmentPlan) => {
        if (p.mediaId === 'm-big.pdf')
          throw ApplicationFailure.create({ type: 'LocalTransferTooLarge', message: 'over' });
        throw ApplicationFailure.create({ type: 'HttpTransient', message: 'HTTP 503', details: [{ httpStatus: 503 }] });
      },
      transferAttachment: async (p: AttachmentPlan) => {
        if (p.mediaId === 'm-big.pdf') return transferred(p);
        throw ApplicationFailure.create({ type: 'HttpTransient', message: 'HTTP 503', details: [{ httpStatus: 503 }] });
      },
      recordAttachments: recordOk,
    });
  }
});
