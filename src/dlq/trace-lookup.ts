import type { Client } from '@temporalio/client';
import { DLQ_WORKFLOW_TYPES } from '../shared/ids';
import { queryList, queryMatchable, queryString } from '../shared/visibility-query';

/** More runs than this with one TraceId value are not a trace id an operator copied: stop listing. */
const MAX_MATCHES = 20;

/**
 * Workflow ids of the pipeline's runs whose TraceId search attribute is exactly `traceId`, newest first.
 *
 * A trace id too long for a search attribute is kept there by its start, and that start is what `dlq list` shows;
 * it does not spell the run's workflow id (derived from the whole trace id), so a lookup by it goes through
 * visibility. Empty when no visibility store can match the value exactly (see queryMatchable).
 */
export async function workflowIdsByTrace(client: Client, traceId: string): Promise<string[]> {
  if (traceId === '' || !queryMatchable(traceId)) return [];
  const query = `TraceId = ${queryString(traceId)} AND WorkflowType IN ${queryList(DLQ_WORKFLOW_TYPES)}`;
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query, pageSize: MAX_MATCHES })) {
    if (!ids.includes(info.workflowId)) ids.push(info.workflowId);
    if (ids.length >= MAX_MATCHES) break;
  }
  return ids;
}
