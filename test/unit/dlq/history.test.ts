import assert from 'node:assert/strict';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { parseRunHistory } from '../../../src/dlq/history';

const ET = temporal.api.enums.v1.EventType;
const at = (seconds: number) => ({ seconds, nanos: 0 });

/** The `data` detail sdk-core writes into a local activity's marker (shape read from a real run's history). */
function markerData(activityType: string, attempt: number): temporal.api.common.v1.IPayloads {
  const data = {
    seq: 1,
    attempt,
    activity_id: '1',
    activity_type: activityType,
    complete_time: at(1_796_286_990),
    backoff: null,
    original_schedule_time: at(1_796_286_930),
  };
  return { payloads: [defaultPayloadConverter.toPayload(data)] };
}

function history(marker: Record<string, unknown>): temporal.api.history.v1.IHistory {
  // fromObject takes plain numbers where the generated types want Long (event ids, seconds).
  return temporal.api.history.v1.History.fromObject({
    events: [
      {
        eventId: 1,
        eventType: ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        eventTime: at(1_796_286_929),
        workflowExecutionStartedEventAttributes: { workflowType: { name: 'ingestXactEvent' } },
      },
      {
        eventId: 5,
        eventType: ET.EVENT_TYPE_MARKER_RECORDED,
        eventTime: at(1_796_286_990),
        markerRecordedEventAttributes: marker,
      },
      {
        eventId: 6,
        eventType: ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
        eventTime: at(1_796_286_990),
        workflowExecutionFailedEventAttributes: {
          failure: {
            message: 'delta step failed: Delta write failed: EIO',
            applicationFailureInfo: { type: 'DeltaTransient' },
          },
        },
      },
    ],
  });
}

describe('DLQ history: the failure chain of a run whose short steps are local activities', () => {
  it('reads a failed local activity from its marker: activity, error type, message, attempts, times', () => {
    const run = parseRunHistory(
      history({
        markerName: 'core_local_activity',
        details: { data: markerData('recordEventAndPlan', 20) },
        failure: {
          message: 'Activity task failed',
          cause: {
            message: 'Delta write failed: EIO at https://x.example/f.pdf?sig=secret',
            applicationFailureInfo: { type: 'DeltaTransient' },
          },
        },
      }),
    );
    assert.equal(run.steps.length, 1);
    const [step] = run.steps;
    assert.deepEqual(
      [step!.activity, step!.type, step!.attempts, step!.firstAttemptAt, step!.failedAt],
      ['recordEventAndPlan', 'DeltaTransient', 20, '2026-12-03T08:35:30.000Z', '2026-12-03T08:36:30.000Z'],
    );
    assert.match(step!.message, /^Delta write failed: EIO/);
    assert.doesNotMatch(step!.message, /secret/, 'URL query values are redacted as in every DLQ text');
    assert.equal(run.failure?.type, 'DeltaTransient');
  });

  it('ignores the marker of a local activity that succeeded and markers of other kinds', () => {
    const ok = parseRunHistory(
      history({ markerName: 'core_local_activity', details: { data: markerData('recordAttachments', 1) } }),
    );
    assert.deepEqual(ok.steps, []);
    const patch = parseRunHistory(history({ markerName: 'core_patch', failure: { message: 'not ours' } }));
    assert.deepEqual(patch.steps, []);
  });

  it('reads the attempts the one local step handed over from its result: one local attempt each, before the rest', () => {
    const result = {
      plans: [],
      transferred: [{ mediaId: 'm-ok.pdf' }],
      handedOver: [
        {
          mediaId: 'm-gone.pdf',
          displayUrl: 'https://x.example/gone.pdf?sig=secret',
          type: 'HttpTransient',
          message: 'HTTP 503 from https://x.example/gone.pdf?sig=secret',
          httpStatus: 503,
        },
        {
          mediaId: 'm-big.pdf',
          displayUrl: 'https://x.example/big.pdf',
          type: 'LocalTransferTooLarge',
          message: 'over',
        },
      ],
    };
    /** The history of a run whose local activity `activityType` completed with `result`. */
    const completed = (activityType: string) =>
      parseRunHistory(
        history({
          markerName: 'core_local_activity',
          details: {
            data: markerData(activityType, 1),
            result: { payloads: [defaultPayloadConverter.toPayload(result)] },
          },
        }),
      );
    const run = completed('ingestXactLocally');
    assert.deepEqual(
      run.steps.map((s) => [s.activity, s.type, s.httpStatus, s.attempts, s.firstAttemptAt, s.failedAt]),
      [
        [
          'ingestXactLocally (local attempt)',
          'HttpTransient',
          503,
          1,
          '2026-12-03T08:35:30.000Z',
          '2026-12-03T08:36:30.000Z',
        ],
        [
          'ingestXactLocally (local attempt)',
          'LocalTransferTooLarge',
          null,
          1,
          '2026-12-03T08:35:30.000Z',
          '2026-12-03T08:36:30.000Z',
        ],
      ],
    );
    for (const s of run.steps) assert.doesNotMatch(`${s.target} ${s.message}`, /secret/, 'query values redacted');
    // Another local activity's result is not read as hand-overs, whatever it holds.
    assert.deepEqual(completed('recordAttachments').steps, []);
  });
});
