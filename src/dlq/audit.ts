import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { type DeltaTable, readTable } from '@kafka-pipeline/delta-lake';
import type { ObjectStore } from '../adapters/storage/object-store';
import { redactUrlSecrets } from '../shared/urls';
import { auditEntryOf, auditRow, lazyTable, PIPELINE_DLQ_AUDIT } from './archive-tables';
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
  private readonly table: () => Promise<DeltaTable>;

  constructor(
    private readonly store: ObjectStore,
    readonly path: string,
  ) {
    this.table = lazyTable(store, path, PIPELINE_DLQ_AUDIT);
  }

  async append(entry: Omit<AuditEntry, 'time'>): Promise<AuditEntry> {
    const full: AuditEntry = {
      time: new Date().toISOString(),
      ...entry,
      reason: redactUrlSecrets(entry.reason),
      failure: entry.failure === undefined ? undefined : redactUrlSecrets(entry.failure),
    };
    await (await this.table()).append([auditRow(full, randomUUID())]);
    return full;
  }

  /** Records at or after `since` (all when absent), oldest first. */
  async read(since?: Date): Promise<AuditEntry[]> {
    const entries = (await readTable(this.store, this.path, PIPELINE_DLQ_AUDIT)).map(auditEntryOf);
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
