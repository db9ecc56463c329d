import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { loadConfig } from '../../src/config/config';
import { dlqTables } from '../../src/config/settings';
import { DlqService } from '../../src/dlq/dlq-service';
import { replay } from '../../src/dlq/replay';
import { xactWorkflowId } from '../../src/shared/ids';
import type { AttachmentPlan, IngestSummary, IngestXactInput } from '../../src/shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import {
  type Activities,
  localTestEnvironment,
  plan,
  recordOk,
  runStubbed,
  transferred,
} from '../support/stubbed-workflow';

const ET = temporal.api.enums.v1.EventType;

/**
 * ingestXactEvent's orchestration with stubbed activities, on the local Temporal server (TestWorkflowEnvironment
 * over the existing server): which steps run, with what, and how the run ends.
 */
describe('ingestXactEvent with stubbed activities', function () {
  this.timeout(120_000);
  const testEnv = localTestEnvironment();

  /** The same stub as the local first attempt and as the regular activity. */
  const bothTransfers = (fn: (p: AttachmentPlan) => Promise<ReturnType<typeof transferred>>) => ({
    transferAttachmentLocally: fn,
    transferAttachment: fn,
  });
  const run = (
    stubs: Partial<Activities>,
    then?: (traceId: string) => Promise<unknown>,
    overrides: Partial<IngestXactInput> = {},
  ) => runStubbed(testEnv(), stubs, then, overrides);

  it('success: event row and plan, each transfer one local attempt, one inventory write, all in one local step', async () => {
    const { result, calls, outcomes, history } = await run({
      recordEventAndPlan: async () => [plan('a.pdf'), plan('b.pdf')],
      transferAttachmentLocally: async (p: AttachmentPlan) => transferred(p),
      transferAttachment: async () => {
        throw new Error('not for an attachment the local attempt transferred');
      },
      recordAttachments: recordOk,
    });
    assert.deepEqual(
      result?.attachments.map((a) => a.status),
      ['transferred', 'transferred'],
    );
    assert.deepEqual(calls.map((c) => c.name).sort(), [
      'recordAttachments',
      'recordEventAndPlan',
      'transferAttachmentLocally',
      'transferAttachmentLocally',
    ]);
    const [, items] = calls.find((c) => c.name === 'recordAttachments')!.args as [unknown, { plan: AttachmentPlan }[]];
    assert.deepEqual(items.map((i) => i.plan.mediaId).sort(), ['m-a.pdf', 'm-b.pdf']);
    assert.deepEqual(outcomes, ['completed xact'], 'reported once to the worker (metrics)');
    // No activity task at all: the whole event is one workflow task.
    const types = (history.events ?? []).map((e) => e.eventType);
    assert.equal(types.filter((t) => t === ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length, 0);
    assert.equal(types.filter((t) => t === ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length, 1);
    // ...and one local activity: the one local step did the event row, both transfers and the inventory rows.
    const locals = (history.events ?? []).filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    assert.equal(locals.length, 1);
  });

  it('partial failure: what succeeded is recorded, then the run fails naming the failed attachment', async () => {
    const { error, calls, attributes, outcomes } = await run({
      recordEventAndPlan: async () => [plan('good.pdf'), plan('gone.pdf')],
      ...bothTransfers(async (p: AttachmentPlan) => {
        if (p.mediaId === 'm-gone.pdf') throw ApplicationFailure.nonRetryable('HTTP 404', 'HttpPermanent');
        return transferred(p);
      }),
      recordAttachments: recordOk,
    });
    assert.deepEqual(
      calls
        .filter((c) => c.name.startsWith('transfer'))
        .map((c) => `${c.name} ${(c.args[0] as AttachmentPlan).mediaId}`),
      ['transferAttachmentLocally m-good.pdf', 'transferAttachmentLocally m-gone.pdf', 'transferAttachment m-gone.pdf'],
      'the failed local attempt is handed to the regular activity',
    );
    assert.ok(error instanceof WorkflowFailedError);
    const cause = error.cause as ApplicationFailure;
    assert.equal(cause.type, 'AttachmentsFailed');
    assert.match(cause.message, /1 of 2 attachment\(s\) failed \(1 transferred and recorded\)/);
    assert.match(cause.message, /gone\.pdf -> HttpPermanent: HTTP 404/);
    const [, items] = calls.find((c) => c.name === 'recordAttachments')!.args as [unknown, { plan: AttachmentPlan }[]];
    assert.deepEqual(
      items.map((i) => i.plan.mediaId),
      ['m-good.pdf'],
    );
    assert.deepEqual(attributes.get(SEARCH_ATTRIBUTES.errorCategory), 'permanent');
    assert.deepEqual(attributes.get(SEARCH_ATTRIBUTES.failedStage), 'download');
    assert.deepEqual(outcomes, ['failed xact permanent download']);
  });

  it('a transfer Temporal times out (worker lost or overloaded) is a transient download failure, not unknown', async () => {
    const { error, attributes, outcomes } = await run(
      {
        recordEventAndPlan: async () => [plan('slow.pdf')],
        // too large for the local first attempt: the regular activity takes the transfer over
        transferAttachmentLocally: async () => {
          throw ApplicationFailure.create({ type: 'LocalTransferTooLarge', message: 'over the bound' });
        },
        // answers after its 1 s start-to-close timeout (so the worker can still shut down after the test)
        transferAttachment: async (p: AttachmentPlan) => {
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          return transferred(p);
        },
        recordAttachments: recordOk,
      },
      undefined,
      { transferTimeoutMs: 1_000 },
    );
    assert.ok(error instanceof WorkflowFailedError);
    assert.match((error.cause as ApplicationFailure).message, /slow\.pdf -> ActivityTimeout: the attempt timed out/);
    assert.equal(attributes.get(SEARCH_ATTRIBUTES.errorCategory), 'transient');
    assert.equal(attributes.get(SEARCH_ATTRIBUTES.failedStage), 'download');
    assert.deepEqual(outcomes, ['failed xact transient download']);
  });

  it('permanent failure of the first step: no transfer, the run fails at stage delta', async () => {
    const { error, calls, attributes } = await run({
      recordEventAndPlan: async () => {
        throw ApplicationFailure.nonRetryable('column raw_json: wrong type', 'DeltaSchema');
      },
      transferAttachment: async (p: AttachmentPlan) => transferred(p),
      recordAttachments: recordOk,
    });
    assert.ok(error instanceof WorkflowFailedError);
    assert.match((error.cause as ApplicationFailure).message, /delta step failed: column raw_json: wrong type/);
    assert.deepEqual(
      calls.map((c) => c.name),
      ['recordEventAndPlan'],
    );
    assert.equal(attributes.get(SEARCH_ATTRIBUTES.failedStage), 'delta');
    assert.equal(attributes.get(SEARCH_ATTRIBUTES.errorCategory), 'permanent');
  });

  it('reset (dlq replay): the failed run starts again from its input, re-runs the local steps and completes', async () => {
    let sourceFixed = false;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stubbed-audit-'));
    try {
      const { error, then, calls, outcomes } = await run(
        {
          recordEventAndPlan: async () => [plan('late.pdf')],
          ...bothTransfers(async (p: AttachmentPlan) => {
            if (!sourceFixed) throw ApplicationFailure.nonRetryable('HTTP 404', 'HttpPermanent');
            return transferred(p);
          }),
          recordAttachments: recordOk,
        },
        async (traceId) => {
          sourceFixed = true;
          const dlq = new DlqService(
            testEnv().client,
            'default',
            'http://ui',
            new LocalObjectStore(dir),
            dlqTables(loadConfig({})),
          );
          const { newRunId } = await replay(dlq, traceId, { reason: 'source fixed', operator: 'test' });
          return testEnv().client.workflow.getHandle(xactWorkflowId(traceId), newRunId).result();
        },
      );
      assert.ok(error instanceof WorkflowFailedError, 'the first run failed');
      assert.deepEqual(
        (then as IngestSummary).attachments.map((a) => a.status),
        ['transferred'],
      );
      assert.equal(calls.filter((c) => c.name === 'recordEventAndPlan').length, 2, 'the local step ran again');
      assert.deepEqual(
        calls.filter((c) => c.name.startsWith('transfer')).map((c) => c.name),
        ['transferAttachmentLocally', 'transferAttachment', 'transferAttachmentLocally'],
        'the reset run tries the local attempt again, which now succeeds',
      );
      assert.deepEqual(outcomes, ['failed xact permanent download', 'completed xact']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
