import type { AttachmentPlan, ClaimCheck, TransferResult } from '../shared/pipeline-types';
import type { XactEvent } from '../shared/xact-event';
import { loadClaimCheck } from './claim-check';
import type { ActivityDeps, RecordResult } from './deps';
import { toFailure } from './failures';
import { planAttachments } from './plan';
import { xactAttachmentRow, xactEventRow } from './rows';

/** The short steps: the event row with the plan, and the inventory rows (local activities; regular ones in runs started before they were). */
export function createRecordActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /** Writes the event's xact_events row (exactly once per event_id, also across retries and replays). */
    async recordEvent(event: XactEvent, rawJson: string): Promise<RecordResult> {
      return appendEventRow(event, rawJson);
    },

    /** Ids, destinations and static checks of every attachment; computed now, so a reset uses current rules. */
    async planAttachments(event: XactEvent): Promise<AttachmentPlan[]> {
      return planAttachments(event, deps.urlPolicy, now());
    },

    /** recordEvent and planAttachments in one step, run as a local activity inside the first workflow task. */
    async recordEventAndPlan(event: XactEvent, rawJson: string): Promise<AttachmentPlan[]> {
      const plans = planAttachments(event, deps.urlPolicy, now());
      await appendEventRow(event, rawJson);
      return plans;
    },

    /**
     * recordEventAndPlan for an event too large for a workflow input: the whole message is read from its claim
     * check (the run's history never holds it) and only the plans go back to the workflow.
     */
    async recordClaimCheckedEventAndPlan(ref: ClaimCheck): Promise<AttachmentPlan[]> {
      const { event, rawJson } = await loadClaimCheck(deps.store, ref);
      const plans = planAttachments(event, deps.urlPolicy, now());
      await appendEventRow(event, rawJson);
      return plans;
    },

    /** Writes one xact_attachments row per transferred attachment (exactly once per media_id). */
    async recordAttachments(
      event: XactEvent,
      items: { plan: AttachmentPlan; result: TransferResult }[],
    ): Promise<RecordResult> {
      try {
        return await deps.attachmentsTable.append(
          items.map(({ plan, result }) => xactAttachmentRow(event, plan, result, now())),
        );
      } catch (err) {
        throw toFailure(err, 'delta');
      }
    },
  };

  /** The event's xact_events row (exactly once per event_id); a failure in our error vocabulary. */
  async function appendEventRow(event: XactEvent, rawJson: string): Promise<RecordResult> {
    try {
      return await deps.eventsTable.append([xactEventRow(event, rawJson, now())]);
    } catch (err) {
      throw toFailure(err, 'delta');
    }
  }
}
