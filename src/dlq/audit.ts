import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { DeltaTable, readTable } from '@kafka-pipeline/delta-lake';
import type { ObjectStore } from '../adapters/storage/object-store';
import { redactUrlSecrets } from '../shared/urls';
import { PIPELINE_DLQ_AUDIT } from './archive-tables';
import { DlqUsageError } from './query';

/** One record of the DLQ audit trail: who did what to which failed run, why, and how it ended. */
export interface AuditEntry {
  readonly time: string;
  readonly operator: string;
  readonly action: 'replay' | 'replay-amended' | 'resolve';
  readonly traceId: string | null;
  readonly workflowId: string;
  /** The failed run acted on. */
  readonly runId: string;
  /** The run a replay started. */
  readonly newRunId?: string;
  readonly reason: string;
  /** requested | started | completed | failed | resolved | error: <message> */
  readonly result: string;
  /** The failure being handled, whole (URL secrets redacted), kept because the run itself is deleted. */
  readonly failure?: string;
  readonly changes?: readonly { from: string; to: string }[];
}

/** The fields of an audit record that name who acts on which run and why (the result and run started come later). */
export function auditSubject(
  action: AuditEntry['action'],
  target: { readonly traceId: string | null; readonly workflowId: string; readonly runId: string },
  who: { readonly operator: string; readonly reason: string },
  failure: string | null,
): Omit<AuditEntry, 'time' | 'result'> {
  return {
    operator: who.operator,
    action,
    traceId: target.traceId,
    workflowId: target.workflowId,
    runId: target.runId,
    reason: who.reason,
    failure: failure ?? undefined,
  };
}

/**
 * The audit trail in the lakehouse (Delta table pipeline_dlq_audit, DLQ_AUDIT_TABLE): not a file of the pod that
 * happened to run the command, so it survives restarts and works from a read-only container. One row per record;
 * concurrent commands each add their own rows (a lost commit race is retried by the writer).
 */
export class AuditLog {
  private table?: Promise<DeltaTable>;

  constructor(
    private readonly store: ObjectStore,
    readonly path: string,
  ) {}

  async append(entry: Omit<AuditEntry, 'time'>): Promise<AuditEntry> {
    const full: AuditEntry = {
      time: new Date().toISOString(),
      ...entry,
      reason: redactUrlSecrets(entry.reason),
      failure: entry.failure === undefined ? undefined : redactUrlSecrets(entry.failure),
    };
    this.table ??= DeltaTable.open(this.store, this.path, PIPELINE_DLQ_AUDIT);
    const table = await this.table.catch((err: unknown) => {
      this.table = undefined; // open again next time
      throw err;
    });
    await table.append([
      {
        audit_id: randomUUID(),
        time: BigInt(Date.parse(full.time)) * 1000n,
        operator: full.operator,
        action: full.action,
        result: full.result,
        trace_id: full.traceId,
        workflow_id: full.workflowId,
        run_id: full.runId,
        new_run_id: full.newRunId ?? null,
        reason: full.reason,
        failure: full.failure ?? null,
        changes: full.changes ? JSON.stringify(full.changes) : null,
        audit_date: full.time.slice(0, 10),
      },
    ]);
    return full;
  }

  /** Records at or after `since` (all when absent), oldest first. */
  async read(since?: Date): Promise<AuditEntry[]> {
    const rows = await readTable(this.store, this.path, PIPELINE_DLQ_AUDIT);
    const entries = rows.map(
      (r): AuditEntry => ({
        time: new Date(Number(BigInt(r.time as bigint) / 1000n)).toISOString(),
        operator: String(r.operator),
        action: String(r.action) as AuditEntry['action'],
        traceId: r.trace_id === null ? null : String(r.trace_id),
        workflowId: String(r.workflow_id),
        runId: String(r.run_id),
        newRunId: r.new_run_id === null ? undefined : String(r.new_run_id),
        reason: String(r.reason),
        result: String(r.result),
        failure: r.failure === null ? undefined : String(r.failure),
        changes: r.changes === null ? undefined : (JSON.parse(String(r.changes)) as AuditEntry['changes']),
      }),
    );
    return entries
      .filter((e) => !since || Date.parse(e.time) >= since.getTime())
      .sort((a, b) => a.time.localeCompare(b.time));
  }
}

/**
 * Who acts, for the audit log: `--operator`, else DLQ_OPERATOR (both passed in as `explicit` by the CLI), else the
 * OS user ($USER, or the account's name). Never a silent "unknown": without any of them the action is refused.
 */
export function operatorName(explicit?: string): string {
  let name = (explicit || process.env.USER || process.env.USERNAME || '').trim();
  if (!name) {
    try {
      name = os.userInfo().username.trim();
    } catch {
      // A container user without a passwd entry and no USER: nobody to name.
    }
  }
  if (!name) throw new OperatorUnknownError();
  return name;
}

/** No operator could be determined; a usage error of the CLI (exit 2). */
export class OperatorUnknownError extends DlqUsageError {
  constructor() {
    super('cannot tell who is acting: pass --operator <name> or set DLQ_OPERATOR');
  }
}
