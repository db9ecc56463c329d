import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { mapBounded } from '../shared/bounded';
import { dlqWorkflowTypes } from '../domains/registry';
import { queryList, queryMatchable, queryString } from '../shared/visibility-query';
import { describeCurrent } from './describe-current';
import { DlqUsageError } from './query';

/** More runs than this with one TraceId value are not a trace id an operator copied: stop listing. */
const MAX_MATCHES = 20;
const DESCRIBE_CONCURRENCY = 8;

/**
 * Workflow ids of the pipeline's runs whose TraceId search attribute is exactly `traceId`, newest first.
 *
 * A trace id too long for a search attribute is kept there by its start, and that start is what `dlq list` shows;
 * it does not spell the run's workflow id (derived from the whole trace id), so a lookup by it goes through
 * visibility. Empty when no visibility store can match the value exactly (see queryMatchable).
 */
export async function workflowIdsByTrace(client: Client, traceId: string): Promise<string[]> {
  if (traceId === '' || !queryMatchable(traceId)) return [];
  const query = `TraceId = ${queryString(traceId)} AND WorkflowType IN ${queryList(dlqWorkflowTypes())}`;
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query, pageSize: MAX_MATCHES })) {
    if (!ids.includes(info.workflowId)) ids.push(info.workflowId);
    if (ids.length >= MAX_MATCHES) break;
  }
  return ids;
}

/**
 * The failed current run among the workflows whose TraceId is `traceId` (other than `exclude`): `failed` when exactly
 * one failed, `notFailed` (what became of them) when runs exist and none failed, undefined when there are none.
 * Several long trace ids can share the start their search attribute keeps: when more than one of them failed, the
 * operator is asked to name one by its workflow id (DlqUsageError).
 */
export async function failedRunByTrace(
  client: Client,
  traceId: string,
  exclude: readonly string[],
): Promise<{ failed: WorkflowExecutionDescription } | { notFailed: string } | undefined> {
  const ids = (await workflowIdsByTrace(client, traceId)).filter((id) => !exclude.includes(id));
  const runs = (await mapBounded(ids, DESCRIBE_CONCURRENCY, (id) => describeCurrent(client, id))) // undefined: deleted since
    .filter((d): d is WorkflowExecutionDescription => d !== undefined);
  const failed = runs.filter((d) => d.status.name === 'FAILED');
  const [only] = failed;
  if (only && failed.length === 1) return { failed: only };
  if (failed.length > 1) {
    throw new DlqUsageError(
      `${traceId} is the trace id (or its start, kept when the id is too long) of ${failed.length} DLQ entries; ` +
        `name one by its workflow id: ${failed.map((d) => d.workflowId).join(', ')}`,
    );
  }
  if (runs.length === 0) return undefined;
  const states = runs.map((d) => `run ${d.runId} of ${d.workflowId} is ${d.status.name.toLowerCase()}`);
  return { notFailed: `${traceId} is not in the DLQ: ${states.join('; ')}` };
}
