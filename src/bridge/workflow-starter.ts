import { isGrpcServiceError, type Client } from '@temporalio/client';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import type { StartRequest } from './start-request';

export type StartOutcome = 'started' | 'duplicate';

/** Temporal refused the start because of its arguments (e.g. too large): retrying the same start cannot help. */
export class StartRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartRejectedError';
  }
}

const INVALID_ARGUMENT = 3;
const START_DEADLINE_MS = 10_000;

/**
 * Starts one workflow. Id policy: REJECT_DUPLICATE + conflict FAIL, so a redelivered message whose run is
 * running, completed or FAILED starts nothing and is counted as a duplicate; a failed event leaves the DLQ only
 * by an operator's replay or resolve, never by a redelivery. Dedupe lasts as long as the namespace retention.
 */
export async function startWorkflow(client: Client, taskQueue: string, req: StartRequest): Promise<StartOutcome> {
  try {
    await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start(req.workflowType, {
        taskQueue,
        workflowId: req.workflowId,
        args: req.args,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        typedSearchAttributes: req.searchAttributes,
        staticSummary: req.summary,
      }),
    );
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'duplicate';
    const grpc = isGrpcServiceError(err)
      ? err
      : isGrpcServiceError((err as { cause?: unknown })?.cause)
        ? (err as { cause: unknown }).cause
        : undefined;
    if (grpc && isGrpcServiceError(grpc) && grpc.code === INVALID_ARGUMENT)
      throw new StartRejectedError(grpc.details || grpc.message);
    throw err;
  }
}
