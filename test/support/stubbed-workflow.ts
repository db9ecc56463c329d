import { randomUUID } from 'node:crypto';
import type { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { createActivities } from '../../src/activities';
import { createLocalIngest } from '../../src/activities/local-ingest';
import { WORKFLOW_TYPES, xactWorkflowId } from '../../src/shared/ids';
import type { AttachmentPlan, IngestSummary, IngestXactInput, TransferResult } from '../../src/shared/pipeline-types';
import { WORKFLOWS_PATH } from '../../src/worker/create-worker';
import type { OutcomeSinks } from '../../src/workflows/sinks';
import { ensureStack, TEMPORAL_ADDRESS } from './stack';

/** ingestXactEvent over stubbed activities on the local Temporal server (TestWorkflowEnvironment over it). */

export type Activities = ReturnType<typeof createActivities>;

export const plan = (name: string): AttachmentPlan => ({
  url: `https://files.example/A1/${name}`,
  displayUrl: `https://files.example/A1/${name}`,
  mediaId: `m-${name}`,
  blobPath: `documentsReceived/A1/${name}`,
  fileType: 'PDF',
  ext: 'pdf',
});

export function input(traceId: string): IngestXactInput {
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

export const transferred = (p: AttachmentPlan): TransferResult => ({
  mediaId: p.mediaId,
  blobPath: p.blobPath,
  bytes: 10,
  contentType: 'application/pdf',
  downloadedAt: '2026-01-02T03:04:06.000Z',
});

export const recordOk = async () => ({ written: 1, duplicates: 0 });

export interface StubbedRun {
  readonly result?: IngestSummary;
  readonly error?: unknown;
  readonly then?: unknown;
  readonly calls: { name: string; args: unknown[] }[];
  readonly outcomes: string[];
  readonly attributes: TypedSearchAttributes;
  readonly history: temporal.api.history.v1.IHistory;
}

/**
 * Runs one event through a worker whose activities are `stubs`; records every call, the outcome and the history.
 * The one local step (ingestXactLocally) is the pipeline's own composition of the stubbed parts it is made of
 * (recordEventAndPlan, transferAttachmentLocally, recordAttachments), so `calls` lists those parts.
 */
export async function runStubbed(
  env: TestWorkflowEnvironment,
  stubs: Partial<Activities>,
  then?: (traceId: string) => Promise<unknown>,
  overrides: Partial<IngestXactInput> = {},
): Promise<StubbedRun> {
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
  ) as Partial<Activities>;
  const missing = (name: string) => () => Promise.reject(new Error(`${name} is not stubbed in this test`));
  const activities = {
    ...createLocalIngest({
      recordEventAndPlan: recorded.recordEventAndPlan ?? missing('recordEventAndPlan'),
      transferLocally: (p) => (recorded.transferAttachmentLocally ?? missing('transferAttachmentLocally'))(p),
      recordAttachments: recorded.recordAttachments ?? missing('recordAttachments'),
    }),
    ...recorded,
  };
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
    activities,
    sinks,
  });
  const traceId = randomUUID();
  const workflowId = xactWorkflowId(traceId);
  const outcome = await worker.runUntil(async () => {
    const first = await env.client.workflow
      .execute(WORKFLOW_TYPES.ingestXactEvent, { taskQueue, workflowId, args: [{ ...input(traceId), ...overrides }] })
      .then(
        (result): { result?: IngestSummary; error?: unknown; then?: unknown } => ({ result: result as IngestSummary }),
        (error: unknown): { result?: IngestSummary; error?: unknown; then?: unknown } => ({ error }),
      );
    return then ? { ...first, then: await then(traceId) } : first;
  });
  const handle = env.client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const history = await env.client.workflow.getHandle(workflowId, description.runId).fetchHistory();
  return { ...outcome, calls, outcomes, attributes: description.typedSearchAttributes, history };
}

/** Mocha hooks of a TestWorkflowEnvironment over the local stack's Temporal server; call inside a describe. */
export function localTestEnvironment(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  before(async () => {
    await ensureStack();
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: TEMPORAL_ADDRESS });
  });
  after(() => env?.teardown());
  return () => env!;
}
