import type { AuditEntry } from '../../dlq/audit';
import type { DlqEntry, DlqListItem, DlqStats } from '../../dlq/dlq-service';
import type { RunFailure } from '../../dlq/history';
import { domainOfWorkflowType } from '../../domains/registry';
import { redactJsonSecrets, redactSecretsDeep } from '../../shared/urls';
import { age } from '../common/age';
import { column, printable, printableLines } from '../common/text-columns';

/** Plain-text renderings of the dlq commands (JSON output is the objects themselves). */

/** One progress line of a bulk replay: bar, count, failures, replays per second so far, time left at that pace. */
export function progressLine(done: number, total: number, failed: number, elapsedMs: number): string {
  const width = 30;
  const bar = '#'.repeat(total > 0 ? Math.round((done / total) * width) : width).padEnd(width, '.');
  const perSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = total - done;
  const eta = left === 0 ? 'done' : perSecond > 0 ? `ETA ${age(Math.ceil(left / perSecond))}` : 'ETA -';
  return `[${bar}] ${done}/${total} replayed${failed ? `, ${failed} failed` : ''} · ${perSecond.toFixed(1)}/s · ${eta}`;
}

export function listText(
  depth: number,
  items: readonly DlqListItem[],
  stats: Pick<DlqStats, 'oldestAgeSeconds' | 'retentionSeconds'>,
): string {
  if (depth === 0) return `DLQ: empty (no failed events); namespace retention ${age(stats.retentionSeconds)}`;
  const lines = [
    `DLQ: ${depth} failed event(s); oldest failure ${age(stats.oldestAgeSeconds)} ago; retention ${age(stats.retentionSeconds)}` +
      (items.length < depth ? ` (showing ${items.length})` : ''),
  ];
  lines.push(
    `${column('TRACE ID', 38)} ${column('FAILED AT', 20)} ${column('ATTEMPTS', 8)} ${column('REPLAYS', 7)} ${column('CATEGORY', 13)} ${column('STAGE', 8)} URL / REASON`,
  );
  for (const i of items) {
    lines.push(
      `${column(i.traceId ?? i.workflowId, 38)} ${column((i.failedAt ?? '-').slice(0, 19), 20)} ${column(i.attempts > 0 ? String(i.attempts) : '-', 8)} ` +
        `${column(String(i.replays), 7)} ${column(i.category ?? '-', 13)} ${column(i.stage ?? '-', 8)} ${printable(i.what)}`,
    );
    lines.push(`  ${i.uiUrl}`);
  }
  return lines.join('\n');
}

export function viewText(entry: DlqEntry, run: RunFailure, audit: readonly AuditEntry[]): string {
  const out: string[] = [];
  out.push(`${entry.kind === 'invalid' ? 'Invalid message' : 'Event'} ${entry.traceId ?? entry.workflowId}`);
  out.push(`  workflow    ${entry.workflowId} run ${entry.runId}`);
  out.push(`  failed at   ${entry.failedAt ?? '-'}   category ${entry.category ?? '-'}   stage ${entry.stage ?? '-'}`);
  if (run.source)
    out.push(`  kafka       ${run.source.topic} partition ${run.source.partition} offset ${run.source.offset}`);
  out.push(`  Temporal UI ${entry.uiUrl}`);
  if (run.failure) {
    out.push('', `Failure (${run.failure.type}):`);
    for (const line of run.failure.message.split('\n')) out.push(`  ${line}`);
  }
  if (run.outcomes.length > 0) {
    out.push('', 'Attachments:');
    for (const o of run.outcomes) {
      out.push(
        o.status === 'transferred'
          ? `  ok      ${o.displayUrl} -> ${o.blobPath} (${o.bytes} bytes)`
          : `  FAILED  ${o.displayUrl}: ${o.errorType} (${o.errorCategory}/${o.failedStage}) ${o.message}`,
      );
    }
  }
  if (run.steps.length > 0) {
    out.push('', 'Failure chain:');
    for (const s of run.steps) {
      const http = s.httpStatus === null ? '' : ` HTTP ${s.httpStatus}`;
      out.push(
        `  ${s.activity}${s.target ? ` ${s.target}` : ''}: ${s.type}${http} after ${s.attempts} attempt(s), ` +
          `first ${s.firstAttemptAt ?? '-'}, last ${s.failedAt ?? '-'}: ${s.message}`,
      );
    }
  }
  out.push(
    '',
    `Replays: ${run.replayCount}${run.replay ? ` (this run: ${run.replay.reason}, from run ${run.replay.baseRunId})` : ''}`,
  );
  for (const a of audit) {
    out.push(`  ${a.time} ${a.action} by ${a.operator}: ${a.result}${a.reason ? ` — ${a.reason}` : ''}`);
  }
  const input = run.input as { event?: unknown; claimCheck?: { path: string; bytes: number } } | null;
  out.push('', entry.kind === 'invalid' ? 'Raw message:' : 'Event:');
  if (input?.claimCheck)
    out.push(
      `(headline only: the whole event, ${input.claimCheck.bytes} bytes, is stored at ${input.claimCheck.path})`,
    );
  const shown = entry.kind === 'invalid' ? input : domainOfWorkflowType(run.workflowType)?.viewEvent(input);
  out.push(JSON.stringify(redactedInput(shown ?? input?.event), null, 2));
  return printableLines(out.join('\n'));
}

/**
 * What `dlq view` prints of a run's input: signed URL parameters redacted (also inside an invalid message's JSON
 * text); the run's input itself, which a replay uses, keeps the real URLs.
 */
export function redactedInput(value: unknown): unknown {
  const v = value as { payload?: unknown; payloadEncoding?: string; rawJson?: unknown } | null;
  if (typeof v?.payload === 'string' && v.payloadEncoding === 'utf8') {
    return redactSecretsDeep({ ...v, payload: redactJsonSecrets(v.payload) });
  }
  if (typeof v?.rawJson === 'string') return redactSecretsDeep({ ...v, rawJson: redactJsonSecrets(v.rawJson) });
  return redactSecretsDeep(value);
}

export function statsText(s: DlqStats): string {
  const rows = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `  ${k.padEnd(14)} ${v}`);
  if (s.depth === 0) return `DLQ depth 0 (no failed events); namespace retention ${age(s.retentionSeconds)}`;
  return [
    `DLQ depth ${s.depth}; oldest failure ${s.oldestFailedAt ?? '-'} (${age(s.oldestAgeSeconds)} ago); namespace retention ${age(s.retentionSeconds)}`,
    'By category:',
    ...rows(s.byCategory),
    'By stage:',
    ...rows(s.byStage),
  ].join('\n');
}

export function auditText(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'No audit entries.';
  return entries
    .map((a) =>
      printable(
        `${a.time} ${a.operator} ${a.action} ${a.traceId ?? a.workflowId} run ${a.runId}` +
          `${a.newRunId ? ` -> ${a.newRunId}` : ''}: ${a.result}${a.reason ? ` (${a.reason})` : ''}`,
      ),
    )
    .join('\n');
}
