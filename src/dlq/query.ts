import { ERROR_CATEGORIES, FAILED_STAGES } from '../shared/errors';
import { DLQ_WORKFLOW_TYPES } from '../shared/ids';

/**
 * Visibility queries of the DLQ. The DLQ is the set of failed runs of the pipeline's workflow types; a run replaced
 * by a replay (reset) is not part of it (see dlq-service.ts).
 */

export interface DlqFilter {
  readonly domain?: string;
  readonly category?: string;
  readonly stage?: string;
  /** Only failures after this time. */
  readonly since?: Date;
  /** An extra visibility filter, ANDed (e.g. "EventType = 'documentsReceived'"). */
  readonly query?: string;
}

export class DlqUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DlqUsageError';
  }
}

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function dlqQuery(filter: DlqFilter = {}): string {
  if (filter.category !== undefined && !(ERROR_CATEGORIES as readonly string[]).includes(filter.category)) {
    throw new DlqUsageError(
      `unknown category ${JSON.stringify(filter.category)}: one of ${ERROR_CATEGORIES.join(', ')}`,
    );
  }
  if (filter.stage !== undefined && !(FAILED_STAGES as readonly string[]).includes(filter.stage)) {
    throw new DlqUsageError(`unknown stage ${JSON.stringify(filter.stage)}: one of ${FAILED_STAGES.join(', ')}`);
  }
  const parts = [`ExecutionStatus = 'Failed'`, `WorkflowType IN (${DLQ_WORKFLOW_TYPES.map(quote).join(', ')})`];
  if (filter.domain) parts.push(`Domain = ${quote(filter.domain)}`);
  if (filter.category) parts.push(`ErrorCategory = ${quote(filter.category)}`);
  if (filter.stage) parts.push(`FailedStage = ${quote(filter.stage)}`);
  if (filter.since) parts.push(`CloseTime > ${quote(filter.since.toISOString())}`);
  if (filter.query) parts.push(`(${filter.query})`);
  return parts.join(' AND ');
}

/** `2h`, `30m`, `7d`, `45s` → milliseconds; anything else is a usage error. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new DlqUsageError(`cannot read duration ${JSON.stringify(text)}: use e.g. 45s, 30m, 2h, 7d`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

export function sinceDate(text: string | undefined, now = new Date()): Date | undefined {
  return text === undefined ? undefined : new Date(now.getTime() - parseDuration(text));
}
