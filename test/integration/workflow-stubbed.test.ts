import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import type { createActivities } from '../../src/activities';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { loadConfig } from '../../src/config/config';
import { dlqTables } from '../../src/config/object-store';
import { DlqService } from '../../src/dlq/dlq-service';
import { replay } from '../../src/dlq/replay';
import { WORKFLOW_TYPES, xactWorkflowId } from '../../src/shared/ids';
import type { AttachmentPlan, IngestSummary, IngestXactInput, TransferResult } from '../../src/shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { WORKFLOWS_PATH } from '../../src/worker/create-worker';
import type { OutcomeSinks } from '../../src/workflows/sinks';
import { ensureStack, TEMPORAL_ADDRESS } from '../support/stack';

type Activities = ReturnType<typeof createActivities>;

const plan = (name: string): AttachmentPlan => ({
  url: `https://files.example/A1/${name}`,
  displayUrl: `https://files.example/A1/${name}`,
  mediaId: `m-${name}`,
  blobPath: `documentsReceived/A1/${name}`,
  fileType: 'PDF',
  ext: 'pdf',
});

function input(traceId: string): IngestXactInput {
  return {
    event: {
      type: 'verisk.claims.property.xn.documentsReceived',
      statusSubtype: 'documentsReceived',
      version: 1,
      utcDateTime: '2026-01-02T03:04:05.000Z',
      traceId,
      data: { assignmentId: 'A1' },
    },
    rawJson: '{}',
    source: { topic: 't', partition: 0, offset: '1', timestamp: '0' },
    retry: { initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10, maximumAttempts: 2 },
    maxParallelAttachments: 4,
    transferTimeoutMs: 10_000,
    localSteps: true,
  };
}

/**
 * ingestXactEvent's orchestration with stubbed activities, on the local Temporal server (TestWorkflowEnvironment
 * over the existing server): which steps run, with what, and how the run ends.
 */
describe('ingestXactEvent with stubbed activities', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;

  before(async () => {
    await ensureStack();
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: TEMPORAL_ADDRESS });
  });
  after(() => env?.teardown());

  /** Runs one event through a worker whose activities are `stubs`; records every call. */
  async function run(
    stubs: Partial<Activities>,
    then?: (traceId: string) => Promise<unknown>,
    overrides: Partial<IngestXactInput> = {},
  ) {
    const taskQueue = `stubbed-${randomUUID()}`;
    const calls: { name: string; args: unknown[] }[] = [];
    const recorded = Object.fromEntries(
      Object.entries(stubs).map(([name, fn]) => [
        name,
        (...args: unknown[]) => {
          calls.push({ name, args });
          return (fn as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    );
    const outcomes: string[] = [];
    const sinks: InjectedSinks<OutcomeSinks> = {
      outcomes: {
        completed: { fn: (_info, domain) => void outcomes.push(`completed ${domain}`) },
        failed: { fn: (_info, domain, category, stage) => void outcomes.push(`failed ${domain} ${category} ${stage}`) },
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities: recorded,
      sinks,
    });
    const traceId = randomUUID();
    const workflowId = xactWorkflowId(traceId);
    const outcome = await worker.runUntil(async () => {
      const first = await env.client.workflow
        .execute(WORKFLOW_TYPES.ingestXactEvent, { taskQueue, workflowId, args: [{ ...input(traceId), ...overrides }] })
        .then(
          (result): { result?: IngestSummary; error?: unknown; then?: unknown } => ({
            result: result as IngestSummary,
          }),
          (error: unknown): { result?: IngestSummary; error?: unknown; then?: unknown } => ({ error }),
        );
      return then ? { ...first, then: await then(traceId) } : first;
    });
    const description = await env.client.workflow.getHandle(workflowId).describe();
    return { ...outcome, calls, outcomes, attributes: description.typedSearchAttributes };
  }

  const transferred = (p: AttachmentPlan): TransferResult => ({
    mediaId: p.mediaId,
    blobPath: p.blobPath,
    bytes: 10,
    contentType: 'application/pdf',
    downloadedAt: '2026-01-02T03:04:06.000Z',
  });
  const recordOk = async () => ({ written: 1, duplicates: 0 });

  it('success: event row and plan, one transfer per attachment, one inventory write with all of them', async () => {
    const { result, calls, outcomes } = await run({
      recordEventAndPlan: async () => [plan('a.pdf'), plan('b.pdf')],
      transferAttachment: async (p: AttachmentPlan) => transferred(p),
      recordAttachments: recordOk,
    });
    assert.deepEqual(
      result?.attachments.map((a) => a.status),
      ['transferred', 'transferred'],
    );
    assert.deepEqual(calls.map((c) => c.name).sort(), [
      'recordAttachments',
      'recordEventAndPlan',
      'transferAttachment',
      'transferAttachment',
    ]);
    const [, items] = calls.find((c) => c.name === 'recordAttachments')!.args as [unknown, { plan: AttachmentPlan }[]];
    assert.deepEqual(items.map((i) => i.plan.mediaId).sort(), ['m-a.pdf', 'm-b.pdf']);
    assert.deepEqual(outcomes, ['completed xact'], 'reported once to the worker (metrics)');
    // The transfer gets the RETRY_* schedule, so it can set the ladder's delay on its own failures.
    assert.deepEqual(calls.find((c) => c.name === 'transferAttachment')!.args[1], input('x').retry);
  });

  it('partial failure: what succeeded is recorded, then the run fails naming the failed attachment', async () => {
    const { error, calls, attributes, outcomes } = await run({
      recordEventAndPlan: async () => [plan('good.pdf'), plan('gone.pdf')],
      transferAttachment: async (p: AttachmentPlan) => {
        if (p.mediaId === 'm-gone.pdf') throw ApplicationFailure.nonRetryable('HTTP 404', 'HttpPermanent');
        return transferred(p);
      },
      recordAttachments: recordOk,
    });
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
          transferAttachment: async (p: AttachmentPlan) => {
            if (!sourceFixed) throw ApplicationFailure.nonRetryable('HTTP 404', 'HttpPermanent');
            return transferred(p);
          },
          recordAttachments: recordOk,
        },
        async (traceId) => {
          sourceFixed = true;
          const dlq = new DlqService(
            env.client,
            'default',
            'http://ui',
            new LocalObjectStore(dir),
            dlqTables(loadConfig({})),
          );
          const { newRunId } = await replay(dlq, traceId, { reason: 'source fixed', operator: 'test' });
          return env.client.workflow.getHandle(xactWorkflowId(traceId), newRunId).result();
        },
      );
      assert.ok(error instanceof WorkflowFailedError, 'the first run failed');
      assert.deepEqual(
        (then as IngestSummary).attachments.map((a) => a.status),
        ['transferred'],
      );
      assert.equal(calls.filter((c) => c.name === 'recordEventAndPlan').length, 2, 'the local step ran again');
      assert.deepEqual(outcomes, ['failed xact permanent download', 'completed xact']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
