import type { IngestXactInput } from '../../shared/pipeline-types';
import { sanitizeUrl } from '../../shared/urls';
import type { ReplayAmendments } from '../domain';

/** A new run takes today's input shape (short steps as local activities), whatever the failed run's was. */
const fresh = (input: unknown): unknown => ({ ...(input as IngestXactInput), localSteps: true });

/** `dlq replay --set-url old=new` of an xact event: its attachment URLs replaced, one by one. */
export const XACT_REPLAY: ReplayAmendments = {
  fresh,
  setUrls(raw, changes, workflowId) {
    const input = raw as IngestXactInput | null;
    if (!input?.event) throw new Error(`${workflowId}: the failed run's input could not be read`);
    if (input.claimCheck)
      return {
        refused: `${workflowId} is a large event stored at ${input.claimCheck.path}; its URLs cannot be amended (use dlq replay)`,
      };
    const urls = Array.isArray(input.event.data.attachments) ? [...(input.event.data.attachments as unknown[])] : [];
    for (const c of changes) {
      try {
        new URL(c.to);
      } catch {
        return { refused: `--set-url: ${JSON.stringify(sanitizeUrl(c.to))} is not a URL` };
      }
      const at = urls.indexOf(c.from);
      if (at < 0) return { refused: `--set-url: the event has no attachment ${sanitizeUrl(c.from)}` };
      urls[at] = c.to;
    }
    return { input: fresh({ ...input, event: { ...input.event, data: { ...input.event.data, attachments: urls } } }) };
  },
};
