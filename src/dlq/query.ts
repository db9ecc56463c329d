import { ERROR_CATEGORIES, FAILED_STAGES } from '../shared/errors';
import { dlqWorkflowTypes } from '../domains/registry';
import { queryList, queryString as quote } from '../shared/visibility-query';

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

export function dlqQuery(filter: DlqFilter = {}): string {
  if (filter.category !== undefined && !(ERROR_CATEGORIES as readonly string[]).includes(filter.category)) {
    throw new DlqUsageError(
      `unknown category ${JSON.stringify(filter.category)}: one of ${ERROR_CATEGORIES.join(', ')}`,
    );
  }
  if (filter.stage !== undefined && !(FAILED_STAGES as readonly string[]).includes(filter.stage)) {
    throw new DlqUsageError(`unknown stage ${JSON.stringify(filter.stage)}: one of ${FAILED_STAGES.join(', ')}`);
  }
  const parts = [`ExecutionStatus = 'Failed'`, `WorkflowType IN ${queryList(dlqWorkflowTypes())}`];
  if (filter.domain) parts.push(`Domain = ${quote(filter.domain)}`);
  if (filter.category) parts.push(`ErrorCategory = ${quote(filter.category)}`);
  if (filter.stage) parts.push(`FailedStage = ${quote(filter.stage)}`);
  if (filter.since) parts.push(`CloseTime > ${quote(filter.since.toISOString())}`);
  if (filter.query) parts.push(`(${filter.query})`);
  return parts.join(' AND ');
}
