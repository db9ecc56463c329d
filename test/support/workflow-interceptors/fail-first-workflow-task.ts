import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * A workflow interceptor for tests: the run's first workflow task fails after it has run every step (as when its
 * worker dies just before completing it), so Temporal retries the task and every local activity of it runs again.
 * The first task of a run sees a history of three events (started, task scheduled, task started).
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      concludeActivation(input, next) {
        const out = next(input);
        const ending = out.commands.some((c) => c.completeWorkflowExecution || c.failWorkflowExecution);
        if (ending && workflowInfo().historyLength <= 3) {
          throw new Error('test: the first workflow task is lost after its local activities ran');
        }
        return out;
      },
    },
  ],
});
