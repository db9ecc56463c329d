import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { domainOfWorkflowType, workflowIdCandidates } from '../domains/registry';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import type { ArchivedEntry } from './archive';
import type { ArchiveRecord } from './archive-tables';
import { auditSubject, operatorName } from './audit';
import { type DlqEntry, type DlqService, NotInDlqError } from './dlq-service';
import { describeCurrent } from './describe-current';
import { DlqUsageError } from './query';
import type { ReplayOptions, ReplayResult } from './replay';

/**
 * The DLQ entries whose runs Temporal no longer has (deleted, or past the namespace retention), served from the
 * lakehouse archive: found, replayed into a fresh run from the archived input, or resolved.
 */

/** Where an open archived entry stands in Temporal: its failed run is still there, or only the archive has it. */
export type ArchivedWhere = 'temporal' | 'archive only';

/** Open archived entries (neither replayed nor resolved), newest failure first, with where each one stands. */
export async function listArchived(dlq: DlqService): Promise<{ entry: ArchivedEntry; where: ArchivedWhere }[]> {
  const [archived, live] = await Promise.all([dlq.archive.entries(), dlq.entries()]);
  const liveRuns = new Set(live.map((e) => e.runId));
  const liveIds = new Set(live.map((e) => e.workflowId));
  const open = archived.filter((e) => e.state === 'failed');
  const out: { entry: ArchivedEntry; where: ArchivedWhere }[] = [];
  for (const entry of open) {
    if (liveRuns.has(entry.failed.runId)) out.push({ entry, where: 'temporal' });
    else if (!liveIds.has(entry.failed.workflowId) && !(await hasOtherRun(dlq, entry.failed))) {
      out.push({ entry, where: 'archive only' });
    }
    // else: a newer run of the workflow supersedes it (replayed with the temporal CLI or the Web UI)
  }
  return out;
}

/** True when Temporal has a run of the record's workflow other than the archived one. */
async function hasOtherRun(dlq: DlqService, record: ArchiveRecord): Promise<boolean> {
  const d = await describeCurrent(dlq.client, record.workflowId);
  return d !== undefined && d.runId !== record.runId;
}

/** The open archived entry of a trace id or workflow id; NotInDlqError when the archive has none. */
export async function findArchived(dlq: DlqService, idOrTrace: string): Promise<ArchivedEntry> {
  const ids = [...workflowIdCandidates(idOrTrace), idOrTrace];
  const archived = await dlq.archive.entries();
  const byId = archived.filter((e) => ids.includes(e.failed.workflowId));
  // else by the trace id as recorded (cut to fit a search attribute when very long: what `dlq list` showed)
  const all = byId.length > 0 ? byId : archived.filter((e) => e.failed.traceId === idOrTrace);
  const open = all.find((e) => e.state === 'failed');
  if (open) return open;
  const [first] = all;
  if (first) {
    const last = first.latest;
    throw new NotInDlqError(
      `${idOrTrace} is not in the DLQ: its archived failure was ${last.state} by ${last.operator ?? '?'} ` +
        `at ${last.recordedAt}${last.newRunId ? ` (run ${last.newRunId})` : ''}`,
    );
  }
  throw new NotInDlqError(`${idOrTrace}: neither Temporal nor the DLQ archive (${dlq.archive.location.table}) has it`);
}

/** A DlqEntry for an archived failure (what the output and the audit need). */
export function entryOf(dlq: DlqService, r: ArchiveRecord): DlqEntry {
  return {
    workflowId: r.workflowId,
    runId: r.runId,
    traceId: r.traceId,
    kind: r.kind,
    failedAt: r.failedAt,
    category: r.category,
    stage: r.stage,
    domain: r.domain,
    eventType: r.eventType,
    uiUrl: dlq.uiUrl(r.workflowId, r.runId),
    memo: {},
  };
}

/**
 * Replays an archived failure whose run Temporal no longer has: a fresh run of the same workflow id, type and
 * search attributes, from the archived input (real URLs), linked to the archived run in its memo, in the audit
 * trail (intent before the start) and in the archive (a `replayed` row).
 */
export async function replayArchived(
  dlq: DlqService,
  archived: ArchivedEntry,
  opts: ReplayOptions & { taskQueue: string },
): Promise<ReplayResult> {
  const f = archived.failed;
  if (f.kind === 'invalid')
    throw new DlqUsageError(
      `${f.workflowId} is an invalid message: replaying cannot fix it. Fix the producer and re-publish, then ` +
        `\`kafka-pipeline dlq resolve ${f.workflowId} --reason "..."\``,
    );
  const input = await dlq.archive.input(f);
  const operator = operatorName(opts.operator);
  const number = (f.replays ?? 0) + 1;
  const audited = auditSubject('replay', f, { operator, reason: opts.reason }, f.failure);
  await dlq.audit.append({ ...audited, result: 'requested' });
  const args = [domainOfWorkflowType(f.workflowType)?.replay.fresh(input) ?? input];
  const handle = await dlq.client.workflow.start(f.workflowType, {
    taskQueue: opts.taskQueue,
    workflowId: f.workflowId,
    args,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: new TypedSearchAttributes(attributesOf(f)),
    memo: { replayedFromArchive: `${f.workflowId}/${f.runId}`, replayCount: number },
    staticSummary: `replay #${number} of ${f.workflowId} from the DLQ archive`,
  });
  await dlq.audit.append({ ...audited, newRunId: handle.firstExecutionRunId, result: 'started' });
  await dlq.archive.recordState(f, 'replayed', {
    newRunId: handle.firstExecutionRunId,
    operator,
    reason: opts.reason,
  });
  return { entry: entryOf(dlq, f), newRunId: handle.firstExecutionRunId, number };
}

/**
 * Resolves an archived failure whose run Temporal no longer has: recorded in the archive and the audit trail (the
 * intent before the archive row, the outcome after it).
 */
export async function resolveArchived(
  dlq: DlqService,
  archived: ArchivedEntry,
  opts: ReplayOptions,
): Promise<DlqEntry> {
  const f = archived.failed;
  const operator = operatorName(opts.operator);
  const audited = auditSubject('resolve', f, { operator, reason: opts.reason }, f.failure);
  await dlq.audit.append({ ...audited, result: 'requested' });
  await dlq.archive.recordState(f, 'resolved', { newRunId: null, operator, reason: opts.reason });
  await dlq.audit.append({ ...audited, result: 'resolved' });
  return entryOf(dlq, f);
}

function attributesOf(r: ArchiveRecord): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [];
  if (r.domain) pairs.push({ key: SEARCH_ATTRIBUTES.domain, value: r.domain });
  if (r.traceId) pairs.push({ key: SEARCH_ATTRIBUTES.traceId, value: r.traceId });
  if (r.eventType) pairs.push({ key: SEARCH_ATTRIBUTES.eventType, value: r.eventType });
  return pairs;
}
