import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { reportingOutcome } from '../../../src/workflows/sinks';
import type { createToyActivities } from './activities';
import { TOY } from './names';
import type { ToyInput } from './index';

// The toy domain's workflow bundle: its ingest workflow and the shared DLQ entry of an invalid message.
export { quarantineInvalidMessage } from '../../../src/workflows/quarantine-invalid-message';

const { recordToyEvent } = proxyActivities<ReturnType<typeof createToyActivities>>({
  startToCloseTimeout: '30 s',
  retry: { maximumAttempts: 3 },
});

/** One toy event: its row written (once per id); the note `fail` makes it a failed run, a DLQ entry. */
export async function ingestToyEvent(input: ToyInput): Promise<{ written: number }> {
  return reportingOutcome(TOY, null, async () => {
    if (input.note === 'fail') throw ApplicationFailure.nonRetryable('the toy event asked to fail', 'ToyFailure');
    return { written: await recordToyEvent(input) };
  });
}
