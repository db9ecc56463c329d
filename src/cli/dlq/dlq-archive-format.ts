import type { ArchivedEntry } from '../../dlq/archive';
import type { ArchivedWhere } from '../../dlq/archived';
import type { AuditEntry } from '../../dlq/audit';
import { redactJsonSecrets } from '../../shared/urls';
import { age } from '../common/age';
import { column, printable, printableLines } from '../common/text-columns';

/** Plain-text renderings of the DLQ archive (`dlq list --archived`, `dlq view` of an entry Temporal no longer has). */

export function archivedListText(table: string, items: readonly { entry: ArchivedEntry; where: ArchivedWhere }[]) {
  if (items.length === 0) return `DLQ archive (${table}): no open entries`;
  const gone = items.filter((i) => i.where === 'archive only').length;
  const lines = [
    `DLQ archive (${table}): ${items.length} open entr${items.length === 1 ? 'y' : 'ies'}, ` +
      `${gone} of them no longer in Temporal (replay starts a fresh run from the archived input)`,
    `${column('TRACE ID', 38)} ${column('FAILED AT', 20)} ${column('AGE', 6)} ${column('CATEGORY', 13)} ${column('STAGE', 8)} ${column('RUN', 12)} REASON`,
  ];
  for (const { entry, where } of items) {
    const f = entry.failed;
    const [reason = ''] = (f.failure ?? '-').split('\n');
    const ageSeconds = Math.round((Date.now() - Date.parse(f.failedAt)) / 1000);
    lines.push(
      `${column(f.traceId ?? f.workflowId, 38)} ${column(f.failedAt.slice(0, 19), 20)} ${column(age(ageSeconds), 6)} ` +
        `${column(f.category ?? '-', 13)} ${column(f.stage ?? '-', 8)} ${column(where, 12)} ${printable(reason)}`,
    );
  }
  return lines.join('\n');
}

export function archivedViewText(entry: ArchivedEntry, audit: readonly AuditEntry[]): string {
  const f = entry.failed;
  const out = [
    `${f.kind === 'invalid' ? 'Invalid message' : 'Event'} ${f.traceId ?? f.workflowId} (from the DLQ archive: Temporal no longer has the run)`,
    `  workflow    ${f.workflowId} run ${f.runId} (${f.workflowType})`,
    `  failed at   ${f.failedAt}   category ${f.category ?? '-'}   stage ${f.stage ?? '-'}`,
    `  state       ${entry.state}${entry.state === 'failed' ? '' : ` by ${entry.latest.operator ?? '?'} at ${entry.latest.recordedAt}`}`,
  ];
  if (f.source) out.push(`  kafka       ${f.source.topic} partition ${f.source.partition} offset ${f.source.offset}`);
  out.push(`  input       ${f.inputPath ?? '-'}`);
  if (f.failure) {
    out.push('', 'Failure chain:');
    for (const line of f.failure.split('\n')) out.push(`  ${line}`);
  }
  out.push('', `Replays: ${f.replays ?? 0}`);
  for (const a of audit) {
    out.push(`  ${a.time} ${a.action} by ${a.operator}: ${a.result}${a.reason ? ` — ${a.reason}` : ''}`);
  }
  if (f.inputJson) {
    let shown: unknown = f.inputJson;
    try {
      shown = JSON.parse(redactJsonSecrets(f.inputJson));
    } catch {
      // not JSON: print the text as stored
    }
    out.push('', 'Input:', typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2));
  }
  return printableLines(out.join('\n'));
}
