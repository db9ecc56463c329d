import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { mapBounded } from '../shared/bounded';
import { queryList, queryMatchable } from '../shared/visibility-query';
import { describeCurrent } from './describe-current';

const SUPERSEDED_BATCH = 100;
const DESCRIBE_CONCURRENCY = 8;

export function closeMs(info: WorkflowExecutionInfo): number {
  return info.closeTime?.getTime() ?? 0;
}

/**
 * Workflow ids among `failed` that have a run started after their failed run closed (a replay, an amended replay or
 * a resolution): one visibility query per batch of ids, and a describe of the latest run for each id a query cannot
 * match exactly (see queryMatchable).
 */
export async function supersededIds(client: Client, failed: readonly WorkflowExecutionInfo[]): Promise<Set<string>> {
  const out = new Set<string>();
  const byId = new Map(failed.map((i) => [i.workflowId, i]));
  const later = (f: WorkflowExecutionInfo | undefined, start: Date) => f && start.getTime() >= closeMs(f) - 1;
  const ids = [...byId.keys()].filter(queryMatchable);
  for (let i = 0; i < ids.length; i += SUPERSEDED_BATCH) {
    const query = `WorkflowId IN ${queryList(ids.slice(i, i + SUPERSEDED_BATCH))} AND ExecutionStatus != 'Failed'`;
    for await (const other of client.workflow.list({ query })) {
      if (later(byId.get(other.workflowId), other.startTime)) out.add(other.workflowId);
    }
  }
  const others = [...byId.values()].filter((f) => !queryMatchable(f.workflowId));
  await mapBounded(others, DESCRIBE_CONCURRENCY, async (f) => {
    const latest = await describeCurrent(client, f.workflowId);
    if (!latest) return; // deleted meanwhile: nothing supersedes it
    if (latest.runId !== f.runId && latest.status.name !== 'FAILED' && later(f, latest.startTime))
      out.add(f.workflowId);
  });
  return out;
}
