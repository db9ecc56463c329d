import type { ObjectStore } from '../adapters/storage/object-store';
import type { ClaimCheck } from '../shared/pipeline-types';
import { domainNamed } from '../domains/registry';
import { invalid, type RawMessage, type StartRequest } from '../domains/start-request';
import { fitInput, inputBytes } from './claim-check';

/** Why Temporal refused a start for its input (StartRejectedError). */
export interface Refusal {
  readonly message: string;
  readonly tooLarge: boolean;
}

/**
 * What a start Temporal will never accept is sent as instead: an event refused as too large and not claim-checked yet
 * as a smaller input (a claim check; the limit is the size measured before the start, carried with the input, so
 * nothing is serialized again to decide); anything else as the message's DLQ entry (an invalid message refused again
 * with its payload stored, the smallest entry there is).
 */
export async function refusedInput(
  req: StartRequest,
  message: RawMessage,
  store: ObjectStore,
  refusal: Refusal,
  maxInputBytes: number,
): Promise<StartRequest> {
  if (req.kind === 'event' && refusal.tooLarge && !claimCheckOf(req))
    return fitInput(req, message, store, inputBytes(req) - 1);
  const entry = invalid(req.args[0].source, message, `Temporal rejected the start: ${refusal.message}`, req.domain);
  return fitInput(entry, message, store, req.kind === 'invalid' ? 0 : maxInputBytes);
}

/** The claim check a request carries (a large event of a domain that claim-checks them), if any. */
export function claimCheckOf(req: StartRequest): ClaimCheck | undefined {
  if (req.kind !== 'event') return undefined;
  const large = domainNamed(req.domain).largeEvent;
  return large.kind === 'claim-check' ? large.claimCheckOf(req.args[0]) : undefined;
}
