import type { Client, WorkflowExecutionDescription } from '@temporalio/client';

/** The current run of `workflowId`, or undefined when Temporal has none (never started, deleted, past retention). */
export async function describeCurrent(
  client: Client,
  workflowId: string,
): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
}
