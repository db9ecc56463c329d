import type { Client, WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { mapBounded } from '../shared/bounded';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { traceIdOf, workflowIdCandidates } from '../domains/registry';
import { WORKFLOW_TYPES } from '../shared/ids';
import type { ObjectStore } from '../adapters/storage/object-store';
import { decodeHistory } from '../codec/history';
import { type AuditEntry, AuditLog } from './audit';
import { DlqArchive } from './archive';
import { mostAttempts, parseRunHistory, type RunFailure } from './history';
import { type DlqFilter, dlqQuery, DlqUsageError } from './query';
import { closeMs, supersededIds } from './superseded';
import { describeCurrent } from './describe-current';
import { failedRunByTrace } from './trace-lookup';

type History = temporal.api.history.v1.IHistory;

/** One DLQ entry: the current failed run of one event (or invalid message). */
export interface DlqEntry {
  readonly workflowId: string;
  readonly runId: string;
  readonly traceId: string | null;
  readonly kind: 'event' | 'invalid';
  readonly failedAt: string | null;
  readonly category: string | null;
  readonly stage: string | null;
  readonly domain: string | null;
  readonly eventType: string | null;
  readonly uiUrl: string;
  /** Memo of the run (an amended replay records its origin and replay number there). */
  readonly memo: Record<string, unknown>;
}

export interface DlqListItem extends DlqEntry {
  /** Attempts of the failed step; 0 when the history could not be read. */
  readonly attempts: number;
  readonly replays: number;
  /** First failed attachment's URL (credentials redacted) or the failure reason. */
  readonly what: string;
}

export interface DlqStats {
  readonly depth: number;
  readonly byCategory: Record<string, number>;
  readonly byStage: Record<string, number>;
  readonly oldestFailedAt: string | null;
  readonly oldestAgeSeconds: number | null;
  readonly retentionSeconds: number | null;
}

export class NotInDlqError extends Error {
  /** @param absent Temporal has no run of the workflow at all (never ingested, deleted or past retention). */
  constructor(
    message: string,
    readonly absent = false,
  ) {
    super(message);
    this.name = 'NotInDlqError';
  }
}

/** Where the DLQ keeps its records in the lakehouse (DLQ_ARCHIVE_TABLE, DLQ_ARCHIVE_FILES_PREFIX, DLQ_AUDIT_TABLE). */
export interface DlqTables {
  readonly archiveTable: string;
  readonly archiveInputsPrefix: string;
  readonly auditTable: string;
}

const HISTORY_CONCURRENCY = 8;

/**
 * Reads the DLQ from Temporal visibility. A workflow id counts once, by its newest failed run, and only while that
 * run is still the workflow's latest: a failed run that a replay (reset) or amended replay superseded is not an
 * entry even before `dlq replay` deletes it (or when someone reset it with the temporal CLI or the Web UI).
 */
export class DlqService {
  readonly audit: AuditLog;
  readonly archive: DlqArchive;

  constructor(
    readonly client: Client,
    readonly namespace: string,
    private readonly uiBaseUrl: string,
    store: ObjectStore,
    tables: DlqTables,
  ) {
    this.audit = new AuditLog(store, tables.auditTable);
    this.archive = new DlqArchive(
      store,
      { table: tables.archiveTable, inputsPrefix: tables.archiveInputsPrefix },
      client.options.loadedDataConverter.payloadCodecs,
    );
  }

  uiUrl(workflowId: string, runId: string): string {
    const base = this.uiBaseUrl.replace(/\/+$/, '');
    return `${base}/namespaces/${encodeURIComponent(this.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
  }

  /** Every current entry matching the filter, newest failure first. */
  async entries(filter: DlqFilter = {}): Promise<DlqEntry[]> {
    const newest = new Map<string, WorkflowExecutionInfo>();
    for await (const info of this.client.workflow.list({ query: dlqQuery(filter) })) {
      const seen = newest.get(info.workflowId);
      if (!seen || closeMs(info) > closeMs(seen)) newest.set(info.workflowId, info);
    }
    const superseded = await supersededIds(this.client, [...newest.values()]);
    return [...newest.values()]
      .filter((i) => !superseded.has(i.workflowId))
      .sort((a, b) => closeMs(b) - closeMs(a))
      .map((i) => this.toEntry(i));
  }

  /**
   * Entries with the details `dlq list` prints (one history read each, for the first `limit`), and the stats of
   * all of them from the same listing.
   */
  async list(filter: DlqFilter, limit: number): Promise<{ stats: DlqStats; items: DlqListItem[] }> {
    const all = await this.entries(filter);
    const items = await mapBounded(all.slice(0, limit), HISTORY_CONCURRENCY, async (e): Promise<DlqListItem> => {
      let run: RunFailure;
      try {
        run = await this.run(e);
      } catch (err) {
        // One unreadable history (e.g. encrypted with a key this process lacks) must not hide the other entries.
        return { ...e, attempts: 0, replays: 0, what: `(history unreadable: ${firstLine(String(err)) ?? ''})` };
      }
      const failedStep = run.steps.find((s) => s.target) ?? run.steps[0];
      const failedOutcome = run.outcomes.find((o) => o.status === 'failed');
      const what =
        failedOutcome?.displayUrl ??
        failedStep?.target ??
        firstLine(run.failure?.message ?? '') ??
        '(no reason recorded)';
      return {
        ...e,
        attempts: mostAttempts(run),
        replays: run.replayCount,
        what,
      };
    });
    return { stats: await this.statsOf(all), items };
  }

  async stats(filter: DlqFilter = {}): Promise<DlqStats> {
    return this.statsOf(await this.entries(filter));
  }

  private async statsOf(all: readonly DlqEntry[]): Promise<DlqStats> {
    const count = (key: (e: DlqEntry) => string | null) =>
      all.reduce<Record<string, number>>((acc, e) => {
        const k = key(e) ?? 'unknown';
        acc[k] = (acc[k] ?? 0) + 1;
        return acc;
      }, {});
    const oldest = all.reduce<string | null>(
      (min, e) => (e.failedAt && (!min || e.failedAt < min) ? e.failedAt : min),
      null,
    );
    return {
      depth: all.length,
      byCategory: count((e) => e.category),
      byStage: count((e) => e.stage),
      oldestFailedAt: oldest,
      oldestAgeSeconds: oldest ? Math.round((Date.now() - Date.parse(oldest)) / 1000) : null,
      retentionSeconds: await this.retentionSeconds(),
    };
  }

  async retentionSeconds(): Promise<number | null> {
    const ns = await this.client.workflowService.describeNamespace({ namespace: this.namespace });
    const ttl = ns.config?.workflowExecutionRetentionTtl;
    return ttl ? Number(ttl.seconds ?? 0) : null;
  }

  /** The DLQ entry of a trace id (or workflow id); NotInDlqError says where the event is instead. */
  async find(idOrTrace: string): Promise<DlqEntry> {
    return (await this.findWithDescription(idOrTrace)).entry;
  }

  /** find(), plus the failed run's description (task queue, search attributes) for starting a run after it. */
  async findWithDescription(
    idOrTrace: string,
  ): Promise<{ entry: DlqEntry; description: WorkflowExecutionDescription }> {
    const candidates = workflowIdCandidates(idOrTrace);
    const found = await this.describeFirst(idOrTrace, candidates);
    if (found) return found;
    // A trace id cut to fit its search attribute (what `dlq list` shows of a very long one) names no workflow id.
    const byTrace = await failedRunByTrace(this.client, idOrTrace, candidates);
    if (byTrace && 'failed' in byTrace) return { entry: this.toEntry(byTrace.failed), description: byTrace.failed };
    if (byTrace) throw new NotInDlqError(byTrace.notFailed);
    throw new NotInDlqError(
      `${idOrTrace}: no workflow ${candidates.join(' or ')} (never ingested, or past retention)`,
      true,
    );
  }

  /** The first of `workflowIds` Temporal has: its failed run, or NotInDlqError when its current run did not fail. */
  private async describeFirst(
    idOrTrace: string,
    workflowIds: readonly string[],
  ): Promise<{ entry: DlqEntry; description: WorkflowExecutionDescription } | undefined> {
    for (const workflowId of workflowIds) {
      const current = await describeCurrent(this.client, workflowId);
      if (!current) continue;
      if (current.status.name !== 'FAILED') {
        throw new NotInDlqError(
          `${idOrTrace} is not in the DLQ: run ${current.runId} of ${workflowId} is ${current.status.name.toLowerCase()}`,
        );
      }
      return { entry: this.toEntry(current), description: current };
    }
    return undefined;
  }

  /** The history of an entry's failed run, encrypted payloads decoded with the client's codec. */
  async history(entry: DlqEntry): Promise<History> {
    const raw = await this.client.workflow.getHandle(entry.workflowId, entry.runId).fetchHistory();
    return decodeHistory(raw, this.client.options.loadedDataConverter.payloadCodecs);
  }

  /** The decoded history of an entry's failed run (its memo counts amended replays). */
  async run(entry: DlqEntry): Promise<RunFailure> {
    return parseRunHistory(await this.history(entry), entry.memo);
  }

  async view(idOrTrace: string): Promise<{ entry: DlqEntry; run: RunFailure; audit: AuditEntry[] }> {
    const entry = await this.find(idOrTrace);
    const run = await this.run(entry);
    const entries = await this.audit.read();
    return { entry, run, audit: entries.filter((a) => a.workflowId === entry.workflowId) };
  }

  private toEntry(info: Omit<WorkflowExecutionInfo, 'raw'>): DlqEntry {
    const sa = info.typedSearchAttributes;
    return {
      workflowId: info.workflowId,
      runId: info.runId,
      traceId: sa.get(SEARCH_ATTRIBUTES.traceId) ?? traceIdOf(info.workflowId),
      kind: info.type === WORKFLOW_TYPES.quarantineInvalidMessage ? 'invalid' : 'event',
      failedAt: info.closeTime?.toISOString() ?? null,
      category: sa.get(SEARCH_ATTRIBUTES.errorCategory) ?? null,
      stage: sa.get(SEARCH_ATTRIBUTES.failedStage) ?? null,
      domain: sa.get(SEARCH_ATTRIBUTES.domain) ?? null,
      eventType: sa.get(SEARCH_ATTRIBUTES.eventType) ?? null,
      uiUrl: this.uiUrl(info.workflowId, info.runId),
      memo: info.memo ?? {},
    };
  }
}

export { DlqUsageError };

export function firstLine(text: string): string | undefined {
  const line = text.split('\n')[0]?.trim();
  return line ? line : undefined;
}
