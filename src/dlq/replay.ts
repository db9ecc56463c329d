import { randomUUID } from 'node:crypto';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import type { SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { WORKFLOW_TYPES } from '../shared/ids';
import { sanitizeUrl } from '../shared/urls';
import { domainOfWorkflowType } from '../domains/registry';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { failureChain } from './archive';
import { auditSubject, operatorName } from './audit';
import { parseRunHistory } from './history';
import { type DlqEntry, type DlqService, firstLine } from './dlq-service';
import { type DlqFilter, DlqUsageError } from './query';

const ET = temporal.api.enums.v1.EventType;

export interface ReplayOptions {
  readonly reason: string;
  readonly operator?: string;
}

export interface ReplayResult {
  readonly entry: DlqEntry;
  readonly newRunId: string;
  readonly number: number;
}

/**
 * Replays a failed event by resetting its run to the end of the first workflow task: the event's own input runs
 * again from the start (every activity is idempotent: deterministic paths, Delta key checks). Then the audit line
 * is written (it keeps the failure text) and the superseded failed run is deleted, so it counts neither in
 * `dlq list` nor in the depth.
 */
export async function replay(dlq: DlqService, idOrTrace: string, opts: ReplayOptions): Promise<ReplayResult> {
  const entry = await dlq.find(idOrTrace);
  if (entry.kind === 'invalid') {
    throw new DlqUsageError(
      `${entry.workflowId} is an invalid message: replaying cannot fix it. Fix the producer and re-publish, then ` +
        `\`kafka-pipeline dlq resolve ${entry.workflowId} --reason "..."\``,
    );
  }
  const history = await dlq.history(entry);
  const firstTask = history.events?.find((e) => e.eventType === ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  if (!firstTask?.eventId) throw new Error(`${entry.workflowId}: history has no completed workflow task to reset to`);
  const run = parseRunHistory(history, entry.memo);
  const operator = operatorName(opts.operator);
  const number = run.replayCount + 1;
  const audited = auditSubject('replay', entry, { operator, reason: opts.reason }, failureChain(run));
  // The entry is archived (if the monitor has not yet) and the intent recorded first: a replay that cannot be
  // recorded does not happen, and a crash after the reset leaves a trace.
  const archived = await dlq.archive.recordFailure(entry, run);
  await dlq.audit.append({ ...audited, result: 'requested' });
  const { runId: newRunId } = await dlq.client.workflowService.resetWorkflowExecution({
    namespace: dlq.namespace,
    workflowExecution: { workflowId: entry.workflowId, runId: entry.runId },
    reason: `kafka-pipeline dlq replay #${number} by ${operator}: ${opts.reason}`,
    workflowTaskFinishEventId: firstTask.eventId,
    requestId: randomUUID(),
  });
  await dlq.audit.append({ ...audited, newRunId: newRunId ?? undefined, result: 'started' });
  await dlq.archive.recordState(archived, 'replayed', { newRunId: newRunId ?? null, operator, reason: opts.reason });
  await deleteRun(dlq, entry.workflowId, entry.runId);
  return { entry, newRunId: newRunId ?? '', number };
}

/** Waits for a replayed run and records its outcome in the audit log. */
export async function awaitReplay(
  dlq: DlqService,
  r: ReplayResult,
  opts: ReplayOptions,
): Promise<'completed' | 'failed'> {
  let result: 'completed' | 'failed' = 'completed';
  try {
    await dlq.client.workflow.getHandle(r.entry.workflowId, r.newRunId).result();
  } catch {
    result = 'failed';
  }
  const who = { operator: operatorName(opts.operator), reason: opts.reason };
  await dlq.audit.append({ ...auditSubject('replay', r.entry, who, null), newRunId: r.newRunId, result });
  return result;
}

/** Replays of a bulk run outstanding at once (the rate limits how fast they start). */
const BULK_IN_FLIGHT = 16;

export interface BulkOptions extends ReplayOptions {
  /** Replays started per second. */
  readonly rate: number;
  readonly onProgress?: (done: number, total: number, failed: number) => void;
}

/** The entries a bulk replay runs: failed events (never invalid messages), invalid events only when asked. */
export async function bulkTargets(
  dlq: DlqService,
  filter: DlqFilter,
  includeInvalid = false,
): Promise<{ targets: DlqEntry[]; skippedInvalid: number }> {
  const events = (await dlq.entries(filter)).filter((e) => e.kind === 'event');
  const targets = includeInvalid ? events : events.filter((e) => e.category !== 'invalid_event');
  return { targets, skippedInvalid: events.length - targets.length };
}

/**
 * Replays the given entries (bulkTargets') at `rate` per second. Resumable: entries already replayed are no
 * longer in the DLQ, so running the same command again continues with what is left.
 */
export async function replayMany(
  dlq: DlqService,
  targets: readonly DlqEntry[],
  opts: BulkOptions,
): Promise<{ total: number; replayed: number; errors: { workflowId: string; error: string }[] }> {
  const errors: { workflowId: string; error: string }[] = [];
  const t0 = Date.now();
  let done = 0;
  const inFlight = new Set<Promise<void>>();
  for (const [i, entry] of targets.entries()) {
    const due = t0 + (i * 1000) / opts.rate;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now())); // pacing, not synchronisation
    if (inFlight.size >= BULK_IN_FLIGHT) await Promise.race(inFlight);
    const p = replay(dlq, entry.workflowId, opts)
      .then(
        () => undefined,
        (err: unknown) => {
          errors.push({ workflowId: entry.workflowId, error: err instanceof Error ? err.message : String(err) });
        },
      )
      .then(() => {
        done++;
        inFlight.delete(p);
        opts.onProgress?.(done, targets.length, errors.length);
      });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { total: targets.length, replayed: done - errors.length, errors };
}

/**
 * Marks a failure handled without replaying: a `dlqResolution` run (completes at once, records operator and reason)
 * is started under the same workflow id, which supersedes the failed run. The intent is audited before, the outcome
 * after; then the failed run is deleted.
 */
export async function resolve(dlq: DlqService, idOrTrace: string, opts: ReplayOptions): Promise<DlqEntry> {
  const { entry, description } = await dlq.findWithDescription(idOrTrace);
  const run = await dlq.run(entry);
  const failure = failureChain(run);
  const operator = operatorName(opts.operator);
  const audited = auditSubject('resolve', entry, { operator, reason: opts.reason }, failure);
  // As for a replay: archived and the intent recorded first, so a resolution that cannot be recorded does not
  // happen and one that dies half-way leaves a trace.
  const archived = await dlq.archive.recordFailure(entry, run);
  await dlq.audit.append({ ...audited, result: 'requested' });
  const headline = firstLine(run.failure?.message ?? '') ?? null;
  const handle = await dlq.client.workflow.start(WORKFLOW_TYPES.dlqResolution, {
    taskQueue: description.taskQueue,
    workflowId: entry.workflowId,
    args: [{ resolvedRunId: entry.runId, reason: opts.reason, operator, failure: headline }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    typedSearchAttributes: keptAttributes(description.typedSearchAttributes),
    staticSummary: `DLQ entry resolved by ${operator}`,
  });
  await dlq.audit.append({ ...audited, newRunId: handle.firstExecutionRunId, result: 'resolved' });
  await dlq.archive.recordState(archived, 'resolved', {
    newRunId: handle.firstExecutionRunId,
    operator,
    reason: opts.reason,
  });
  await deleteRun(dlq, entry.workflowId, entry.runId);
  return entry;
}

/** The run's search attributes minus the failure ones (a new run has not failed). */
function keptAttributes(attributes: TypedSearchAttributes): SearchAttributePair[] {
  const failureKeys = [SEARCH_ATTRIBUTES.errorCategory.name, SEARCH_ATTRIBUTES.failedStage.name];
  return attributes.getAll().filter((p) => !failureKeys.includes(p.key.name));
}

/**
 * Starts a fresh run of the event with attachment URLs replaced (`--set-url old=new`), linked to the failed run in
 * its memo and in the audit log; the failed run is then deleted like after a replay.
 */
export async function replayAmended(
  dlq: DlqService,
  idOrTrace: string,
  changes: readonly { from: string; to: string }[],
  opts: ReplayOptions,
): Promise<ReplayResult> {
  const { entry, description } = await dlq.findWithDescription(idOrTrace);
  if (entry.kind === 'invalid')
    throw new DlqUsageError(`${entry.workflowId} is an invalid message; it has no URLs to amend`);
  const run = await dlq.run(entry);
  const domain = domainOfWorkflowType(run.workflowType);
  if (!domain?.replay.setUrls)
    throw new DlqUsageError(
      `${entry.workflowId} is a ${entry.domain ?? run.workflowType} event: ${domain?.replay.setUrlsRefused ?? 'its URLs cannot be amended'}`,
    );
  const amendedOrNot = domain.replay.setUrls(run.input, changes, entry.workflowId);
  if ('refused' in amendedOrNot) throw new DlqUsageError(amendedOrNot.refused);
  const amended = amendedOrNot.input;
  const keep = keptAttributes(description.typedSearchAttributes);
  const number = run.replayCount + 1;
  const shown = changes.map((c) => ({ from: sanitizeUrl(c.from), to: sanitizeUrl(c.to) }));
  const operator = operatorName(opts.operator);
  const audited = {
    ...auditSubject('replay-amended', entry, { operator, reason: opts.reason }, failureChain(run)),
    changes: shown,
  };
  const archived = await dlq.archive.recordFailure(entry, run);
  await dlq.audit.append({ ...audited, result: 'requested' });
  const handle = await dlq.client.workflow.start(run.workflowType, {
    taskQueue: description.taskQueue,
    workflowId: entry.workflowId,
    args: [amended],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    typedSearchAttributes: keep,
    memo: { amendedFrom: entry.runId, replayCount: number, changes: shown },
    staticSummary: `amended replay #${number} of ${entry.workflowId}`,
  });
  await dlq.audit.append({ ...audited, newRunId: handle.firstExecutionRunId, result: 'started' });
  await dlq.archive.recordState(archived, 'replayed', {
    newRunId: handle.firstExecutionRunId,
    operator,
    reason: opts.reason,
  });
  await deleteRun(dlq, entry.workflowId, entry.runId);
  return { entry, newRunId: handle.firstExecutionRunId, number };
}

/**
 * Deletes a failed run the audit log now describes, so `ExecutionStatus = 'Failed'` in the Web UI shows only what
 * is still open. Deletion is asynchronous in Temporal (on the dev server it can take long); the DLQ does not depend
 * on it, because the newer run (replay or resolution) already supersedes the failed one.
 */
async function deleteRun(dlq: DlqService, workflowId: string, runId: string): Promise<void> {
  await dlq.client.workflowService.deleteWorkflowExecution({
    namespace: dlq.namespace,
    workflowExecution: { workflowId, runId },
  });
}
