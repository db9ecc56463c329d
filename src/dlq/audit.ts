import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { redactUrls } from '../observability/logger';
import { DlqUsageError } from './query';

/** One line of the DLQ audit log: who did what to which failed run, why, and how it ended. */
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
  /** The failure being handled (first line, URL queries redacted), kept because the run itself is deleted. */
  readonly failure?: string;
  readonly changes?: readonly { from: string; to: string }[];
}

/** Append-only JSON lines file (DLQ_AUDIT_LOG). Each entry is one write of one line, so concurrent CLIs interleave whole lines. */
export class AuditLog {
  constructor(readonly file: string) {}

  async append(entry: Omit<AuditEntry, 'time'>): Promise<AuditEntry> {
    const full: AuditEntry = { time: new Date().toISOString(), ...entry, reason: redactUrls(entry.reason) };
    await fs.mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    await fs.appendFile(this.file, JSON.stringify(full) + '\n', { mode: 0o640 });
    return full;
  }

  /** Entries at or after `since` (all when absent), oldest first; lines that are not JSON are reported, not hidden. */
  async read(since?: Date): Promise<{ entries: AuditEntry[]; unreadable: number }> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
      throw err;
    }
    const entries: AuditEntry[] = [];
    let unreadable = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const e = JSON.parse(line) as AuditEntry;
        if (!since || Date.parse(e.time) >= since.getTime()) entries.push(e);
      } catch {
        unreadable++;
      }
    }
    return { entries, unreadable };
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
