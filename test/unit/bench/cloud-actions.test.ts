import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { cloudActions } from '../../../bench/cloud-actions';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'histories');
const history = (file: string) => temporal.api.history.v1.History.decode(fs.readFileSync(path.join(DIR, file))).events;
const payload = (text: string) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(text) });

/** The counting rules of bench/cloud-actions.ts, on recorded runs of the pipeline's workflows and on edge cases. */
describe('Temporal Cloud actions counted from a history (bench)', () => {
  it('the common event: its start and one action for all the local steps of its single workflow task', () => {
    // The patch marker's TemporalChangeVersion upsert is in this history and costs nothing.
    const { total, byKind } = cloudActions(history('local-transfer-completed-two-attachments.pb'));
    assert.deepEqual(byKind, { start_workflow: 1, record_activity_markers: 1 });
    assert.equal(total, 2);
  });

  it('a failed download: the regular activity, the second task of local steps and the failure upsert add up', () => {
    const { byKind, total } = cloudActions(history('local-transfer-failed-one-of-two-attachments.pb'));
    assert.deepEqual(byKind, {
      start_workflow: 1,
      schedule_activity: 1,
      upsert_workflow_search_attributes: 1,
      record_activity_markers: 2,
    });
    assert.equal(total, 5);
  });

  it('counts retries of regular and local activities, timers, signals, and upserts that name more than the patch', () => {
    const T = temporal.api.history.v1.HistoryEvent;
    const events = [
      T.create({ workflowExecutionStartedEventAttributes: {} }),
      T.create({ activityTaskScheduledEventAttributes: {} }),
      T.create({ activityTaskStartedEventAttributes: { attempt: 3 } }),
      T.create({
        workflowTaskCompletedEventAttributes: { meteringMetadata: { nonfirstLocalActivityExecutionAttempts: 4 } },
      }),
      T.fromObject({ markerRecordedEventAttributes: { workflowTaskCompletedEventId: 4 } }),
      T.fromObject({ markerRecordedEventAttributes: { workflowTaskCompletedEventId: 4 } }),
      T.fromObject({ markerRecordedEventAttributes: { workflowTaskCompletedEventId: 9 } }),
      T.create({ timerStartedEventAttributes: {} }),
      T.create({ workflowExecutionSignaledEventAttributes: {} }),
      T.create({
        upsertWorkflowSearchAttributesEventAttributes: {
          searchAttributes: {
            indexedFields: { TemporalChangeVersion: payload('["p"]'), ErrorCategory: payload('"x"') },
          },
        },
      }),
      T.create({
        upsertWorkflowSearchAttributesEventAttributes: {
          searchAttributes: { indexedFields: { TemporalChangeVersion: payload('["p"]') } },
        },
      }),
    ];
    assert.deepEqual(cloudActions(events).byKind, {
      start_workflow: 1,
      schedule_activity: 1,
      retry_activity: 2,
      retry_activity_local: 4,
      record_activity_markers: 2,
      start_timer: 1,
      signal_workflow: 1,
      upsert_workflow_search_attributes: 1,
    });
    assert.equal(cloudActions(events).total, 13);
  });
});
