import { columnDef as col, DeltaTable, type DeltaStore, type Row, type TableDef } from '@kafka-pipeline/delta-lake';
import { redactJsonSecrets, redactUrlSecrets } from '../shared/urls';
import type { AuditEntry } from './audit';

/**
 * The DLQ archive (`pipeline_dlq`): one row per DLQ entry and state change, so an entry outlives the namespace
 * retention that deletes its run. `failed` rows are written by the DLQ monitor; `replayed` and `resolved`
 * rows by the DLQ commands. The key makes each (run, state) one row however often and by how many writers it is
 * written; the partition is the failure's date, fixed for every row of an entry.
 */
export const PIPELINE_DLQ: TableDef = {
  name: 'pipeline_dlq',
  keyColumn: 'record_id',
  partitionColumns: ['failed_date'],
  columns: [
    col('record_id', 'string', false),
    col('workflow_id', 'string', false),
    col('run_id', 'string', false),
    col('state', 'string', false),
    col('kind', 'string', false),
    col('workflow_type', 'string', false),
    col('trace_id'),
    col('domain'),
    col('event_type'),
    col('category'),
    col('stage'),
    col('failed_at', 'timestamp', false),
    col('failure'),
    col('attempts', 'long'),
    col('replays', 'long'),
    col('kafka_topic'),
    col('kafka_partition', 'long'),
    col('kafka_offset'),
    col('input_path'),
    col('input_json'),
    col('new_run_id'),
    col('operator'),
    col('reason'),
    col('recorded_at', 'timestamp', false),
    col('failed_date', 'date', false),
  ],
};

/** The DLQ audit trail (`pipeline_dlq_audit`): who did what to which entry, why, and how it ended; one row each. */
export const PIPELINE_DLQ_AUDIT: TableDef = {
  name: 'pipeline_dlq_audit',
  keyColumn: 'audit_id',
  partitionColumns: ['audit_date'],
  columns: [
    col('audit_id', 'string', false),
    col('time', 'timestamp', false),
    col('operator', 'string', false),
    col('action', 'string', false),
    col('result', 'string', false),
    col('trace_id'),
    col('workflow_id', 'string', false),
    col('run_id', 'string', false),
    col('new_run_id'),
    col('reason', 'string', false),
    col('failure'),
    col('changes'),
    col('audit_date', 'date', false),
  ],
};

export type ArchiveState = 'failed' | 'replayed' | 'resolved';

/** One row of pipeline_dlq as the code handles it (times as ISO strings). */
export interface ArchiveRecord {
  readonly workflowId: string;
  readonly runId: string;
  readonly state: ArchiveState;
  readonly kind: 'event' | 'invalid';
  readonly workflowType: string;
  readonly traceId: string | null;
  readonly domain: string | null;
  readonly eventType: string | null;
  readonly category: string | null;
  readonly stage: string | null;
  readonly failedAt: string;
  /** The whole failure: the run's failure, then every failed step (URL secrets redacted). */
  readonly failure: string | null;
  readonly attempts: number | null;
  readonly replays: number | null;
  readonly source: { topic: string; partition: number; offset: string } | null;
  /** Where the run's input is stored as started (real URLs: what a replay from the archive runs). */
  readonly inputPath: string | null;
  /** The input with signed URL parameters redacted, for reading. */
  readonly inputJson: string | null;
  readonly newRunId: string | null;
  readonly operator: string | null;
  readonly reason: string | null;
  readonly recordedAt: string;
}

const micros = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;
const iso = (v: unknown): string => new Date(Number(BigInt(v as bigint) / 1000n)).toISOString();
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function archiveRow(r: ArchiveRecord): Row {
  return {
    record_id: `${r.workflowId}/${r.runId}/${r.state}`,
    workflow_id: r.workflowId,
    run_id: r.runId,
    state: r.state,
    kind: r.kind,
    workflow_type: r.workflowType,
    trace_id: r.traceId,
    domain: r.domain,
    event_type: r.eventType,
    category: r.category,
    stage: r.stage,
    failed_at: micros(r.failedAt),
    failure: r.failure === null ? null : redactUrlSecrets(r.failure),
    attempts: r.attempts === null ? null : BigInt(r.attempts),
    replays: r.replays === null ? null : BigInt(r.replays),
    kafka_topic: r.source?.topic ?? null,
    kafka_partition: r.source ? BigInt(r.source.partition) : null,
    kafka_offset: r.source?.offset ?? null,
    input_path: r.inputPath,
    input_json: r.inputJson === null ? null : redactJsonSecrets(r.inputJson),
    new_run_id: r.newRunId,
    operator: r.operator,
    reason: r.reason === null ? null : redactUrlSecrets(r.reason),
    recorded_at: micros(r.recordedAt),
    failed_date: r.failedAt.slice(0, 10),
  };
}

/** The pipeline_dlq_audit row of an audit record (`auditId` is its key). */
export function auditRow(e: AuditEntry, auditId: string): Row {
  return {
    audit_id: auditId,
    time: micros(e.time),
    operator: e.operator,
    action: e.action,
    result: e.result,
    trace_id: e.traceId,
    workflow_id: e.workflowId,
    run_id: e.runId,
    new_run_id: e.newRunId ?? null,
    reason: e.reason,
    failure: e.failure ?? null,
    changes: e.changes ? JSON.stringify(e.changes) : null,
    audit_date: e.time.slice(0, 10),
  };
}

export function auditEntryOf(r: Row): AuditEntry {
  return {
    time: iso(r.time),
    operator: String(r.operator),
    action: String(r.action) as AuditEntry['action'],
    traceId: str(r.trace_id),
    workflowId: String(r.workflow_id),
    runId: String(r.run_id),
    newRunId: str(r.new_run_id) ?? undefined,
    reason: String(r.reason),
    result: String(r.result),
    failure: str(r.failure) ?? undefined,
    changes: r.changes === null ? undefined : (JSON.parse(String(r.changes)) as AuditEntry['changes']),
  };
}

/** A Delta table opened on first use and kept; an open that failed is tried again on the next call. */
export function lazyTable(store: DeltaStore, path: string, def: TableDef): () => Promise<DeltaTable> {
  let table: Promise<DeltaTable> | undefined;
  return () => {
    table ??= DeltaTable.open(store, path, def).catch((err: unknown) => {
      table = undefined;
      throw err;
    });
    return table;
  };
}

export function archiveRecordOf(row: Row): ArchiveRecord {
  const partition = num(row.kafka_partition);
  return {
    workflowId: String(row.workflow_id),
    runId: String(row.run_id),
    state: String(row.state) as ArchiveState,
    kind: String(row.kind) as 'event' | 'invalid',
    workflowType: String(row.workflow_type),
    traceId: str(row.trace_id),
    domain: str(row.domain),
    eventType: str(row.event_type),
    category: str(row.category),
    stage: str(row.stage),
    failedAt: iso(row.failed_at),
    failure: str(row.failure),
    attempts: num(row.attempts),
    replays: num(row.replays),
    source:
      row.kafka_topic === null || row.kafka_topic === undefined || partition === null
        ? null
        : { topic: String(row.kafka_topic), partition, offset: String(row.kafka_offset) },
    inputPath: str(row.input_path),
    inputJson: str(row.input_json),
    newRunId: str(row.new_run_id),
    operator: str(row.operator),
    reason: str(row.reason),
    recordedAt: iso(row.recorded_at),
  };
}
