import { setCurrentDetails } from '@temporalio/workflow';

/** What `kafka-pipeline dlq resolve` records about a failure it marks handled. */
export interface DlqResolutionInput {
  readonly resolvedRunId: string;
  readonly reason: string;
  readonly operator: string;
  readonly failure: string | null;
}

/**
 * The run `dlq resolve` starts under a failed event's workflow id: it completes at once and, being newer than the
 * failed run, takes that failure out of the DLQ (list and depth) while the Web UI keeps showing who resolved it and
 * why. No activities, no I/O.
 */
export async function dlqResolution(input: DlqResolutionInput): Promise<DlqResolutionInput> {
  setCurrentDetails(`resolved without replay by ${input.operator}: ${input.reason}`);
  return input;
}
