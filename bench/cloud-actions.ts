// Temporal Cloud bills "actions". This counts them in one workflow run's history by the rules Temporal documents for
// Cloud (docs.temporal.io/cloud/actions, read 2026-12-05), so the bench can state what one event would cost there.
// It is an estimate, as Temporal says of every history-based count: a workflow task heartbeat (local activities
// running past ~80 % of the workflow task timeout) is an action too and leaves no event of its own; none of the
// pipeline's runs in the bench lasts that long, and a heartbeat shows as an extra workflow task in its counts.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The search attribute the SDK upserts for `patched()`: exempt from the action count. */
const CHANGE_VERSION = 'TemporalChangeVersion';

export interface CloudActions {
  readonly total: number;
  /** Per kind, the names Temporal's action metrics use. */
  readonly byKind: Readonly<Record<string, number>>;
}

/** The billable actions of one run's history (the run's start included). */
export function cloudActions(events: readonly HistoryEvent[]): CloudActions {
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1): void => {
    if (n > 0) byKind[kind] = (byKind[kind] ?? 0) + n;
  };
  // Every RecordMarker of one workflow task (local activities, patches) is one action together.
  const markerTasks = new Set<string>();
  for (const e of events) {
    if (e.workflowExecutionStartedEventAttributes) add('start_workflow');
    else if (e.activityTaskScheduledEventAttributes) add('schedule_activity');
    else if (e.activityTaskStartedEventAttributes)
      add('retry_activity', (e.activityTaskStartedEventAttributes.attempt ?? 1) - 1);
    else if (e.markerRecordedEventAttributes) {
      markerTasks.add(String(e.markerRecordedEventAttributes.workflowTaskCompletedEventId ?? 'none'));
    } else if (e.workflowTaskCompletedEventAttributes) {
      const metering = e.workflowTaskCompletedEventAttributes.meteringMetadata;
      add('retry_activity_local', metering?.nonfirstLocalActivityExecutionAttempts ?? 0);
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {});
      if (fields.some((f) => f !== CHANGE_VERSION)) add('upsert_workflow_search_attributes');
    } else if (e.timerStartedEventAttributes) add('start_timer');
    else if (e.workflowExecutionSignaledEventAttributes) add('signal_workflow');
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) add('start_child_workflow', 2);
  }
  add('record_activity_markers', markerTasks.size);
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}
