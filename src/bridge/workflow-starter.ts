import { isGrpcServiceError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import {
  ValueError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import type { StartRequest } from '../domains/start-request';

export type StartOutcome = 'started' | 'duplicate';

/** What became of a start: `eagerly`, the server handed its first workflow task to this process's own worker. */
export interface StartResult {
  readonly outcome: StartOutcome;
  readonly eagerly: boolean;
}

/**
 * Temporal refused the start because of its arguments: retrying the same start cannot help. `tooLarge`: the
 * refusal was about size (a smaller input, e.g. a claim check, may pass).
 */
export class StartRejectedError extends Error {
  constructor(
    message: string,
    readonly tooLarge: boolean,
  ) {
    super(message);
    this.name = 'StartRejectedError';
  }
}

/** Temporal is rate limiting (RESOURCE_EXHAUSTED that is not about size): retry later; Temporal itself is up. */
export class StartThrottledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartThrottledError';
  }
}

/**
 * Whether a failed start says Temporal as a whole is unavailable (what the `temporal` breaker counts): not a
 * refusal of one input, nor rate limiting, nor back-pressure.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  return !(err instanceof StartRejectedError || err instanceof StartThrottledError);
}

const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const INTERNAL = 13;
// The server's gRPC layer refuses a request it cannot decode (an id that is not valid UTF-8) as INTERNAL.
const UNDECODABLE = /error unmarshalling request|invalid UTF-8/i;
// gRPC's "received message larger than max" and Temporal's blob size limit errors.
const SIZE_MESSAGE = /larger than max|message (size|length)|size limit|too large|exceeds? (the )?(max|limit)/i;
const START_DEADLINE_MS = 10_000;

/** The options the bridge starts a request's workflow with (id policy: see startWorkflow). */
export function startOptions(taskQueue: string, req: StartRequest, requestEagerStart = false): WorkflowStartOptions {
  return {
    taskQueue,
    workflowId: req.workflowId,
    args: req.args,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    typedSearchAttributes: req.searchAttributes,
    staticSummary: req.summary,
    ...(requestEagerStart ? { requestEagerStart } : {}),
  };
}

/**
 * Starts one workflow; `requestEagerStart` asks the server to hand the first workflow task back in the reply (only
 * useful when `client` runs on the connection of a worker polling `taskQueue`: the combined process). Id policy:
 * REJECT_DUPLICATE + conflict FAIL, so a redelivered message whose run is running, completed or FAILED starts
 * nothing and is counted as a duplicate; a failed event leaves the DLQ only by an operator's replay or resolve, never
 * by a redelivery. Dedupe lasts as long as the namespace retention.
 */
export async function startWorkflow(
  client: Client,
  taskQueue: string,
  req: StartRequest,
  requestEagerStart = false,
): Promise<StartResult> {
  try {
    const handle = await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start(req.workflowType, startOptions(taskQueue, req, requestEagerStart)),
    );
    return { outcome: 'started', eagerly: handle.eagerlyStarted };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'duplicate', eagerly: false };
    // The client could not serialise the input (e.g. nesting too deep for JSON.stringify): the same every time.
    if (err instanceof ValueError)
      throw new StartRejectedError(`the input cannot be serialised: ${err.message}`, false);
    const grpc = isGrpcServiceError(err)
      ? err
      : isGrpcServiceError((err as { cause?: unknown })?.cause)
        ? (err as { cause: unknown }).cause
        : undefined;
    if (!grpc || !isGrpcServiceError(grpc)) throw err;
    const text = grpc.details || grpc.message;
    if (grpc.code === INVALID_ARGUMENT) throw new StartRejectedError(text, SIZE_MESSAGE.test(text));
    if (grpc.code === INTERNAL && UNDECODABLE.test(text)) throw new StartRejectedError(text, false);
    if (grpc.code === RESOURCE_EXHAUSTED) {
      if (SIZE_MESSAGE.test(text)) throw new StartRejectedError(text, true);
      throw new StartThrottledError(text);
    }
    throw err;
  }
}
