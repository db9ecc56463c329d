import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { redactUrls } from '../observability/logger';
import type { AttachmentOutcome, KafkaSource, LocalIngestResult } from '../shared/pipeline-types';

type History = temporal.api.history.v1.IHistory;
type Event = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;
const ET = temporal.api.enums.v1.EventType;
const RESET_CAUSE = temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW;

/** One activity that ended in failure: what it was working on, why, and after how many attempts. */
export interface FailedStep {
  readonly activity: string;
  /** The attachment's display URL (credentials redacted) when the activity transferred one. */
  readonly target: string | null;
  readonly type: string;
  readonly message: string;
  readonly httpStatus: number | null;
  readonly attempts: number;
  readonly firstAttemptAt: string | null;
  readonly failedAt: string | null;
}

/** A replay (reset) that started this run. */
export interface ReplayMark {
  readonly at: string | null;
  readonly reason: string;
  readonly baseRunId: string;
  /** The n-th replay of the event, read from the reason `dlq replay` writes (#n); 1 for other resets. */
  readonly number: number;
}

/** What a failed run's history says, decoded for `dlq view` and `dlq list`; all text has URL queries redacted. */
export interface RunFailure {
  readonly workflowType: string;
  readonly input: Record<string, unknown> | null;
  readonly source: KafkaSource | null;
  readonly failure: { readonly type: string; readonly message: string; readonly at: string | null } | null;
  readonly outcomes: readonly AttachmentOutcome[];
  readonly steps: readonly FailedStep[];
  readonly replay: ReplayMark | null;
  /** Times the event was replayed before this run (memo of an amended replay counts too). */
  readonly replayCount: number;
}

/** The most attempts any failed step of a run took (1 when none is recorded). */
export function mostAttempts(run: Pick<RunFailure, 'steps'>): number {
  let most = 1;
  for (const s of run.steps) most = Math.max(most, s.attempts);
  return most;
}

export function timeOf(event: Event): string | null {
  const t = event.eventTime;
  if (!t) return null;
  return new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

function decode(payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown[] {
  return (payloads?.payloads ?? []).map((p) => {
    try {
      return defaultPayloadConverter.fromPayload(p);
    } catch {
      return null;
    }
  });
}

function failureType(f: Failure | null | undefined): string {
  return f?.applicationFailureInfo?.type ?? (f?.timeoutFailureInfo ? 'Timeout' : 'Unknown');
}

function innermost(f: Failure | null | undefined): Failure | null | undefined {
  let cur = f;
  while (cur?.cause) cur = cur.cause;
  return cur;
}

export function parseRunHistory(history: History, memo?: Record<string, unknown>): RunFailure {
  const events = history.events ?? [];
  let workflowType = '';
  let input: Record<string, unknown> | null = null;
  let failure: RunFailure['failure'] = null;
  let outcomes: AttachmentOutcome[] = [];
  let replay: ReplayMark | null = null;
  const scheduled = new Map<string, { activity: string; target: string | null; at: string | null }>();
  const attempts = new Map<string, number>();
  const steps: FailedStep[] = [];
  for (const e of events) {
    switch (e.eventType) {
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const a = e.workflowExecutionStartedEventAttributes!;
        workflowType = a.workflowType?.name ?? '';
        const [arg] = decode(a.input);
        input = arg && typeof arg === 'object' ? (arg as Record<string, unknown>) : null;
        break;
      }
      case ET.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        const a = e.workflowTaskFailedEventAttributes!;
        if (a.cause === RESET_CAUSE) {
          const reason = a.failure?.message ?? '';
          const n = /dlq replay #(\d+)/.exec(reason);
          replay = { at: timeOf(e), reason, baseRunId: a.baseRunId ?? '', number: n ? Number(n[1]) : 1 };
        }
        break;
      }
      case ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const a = e.activityTaskScheduledEventAttributes!;
        const [arg] = decode(a.input);
        const target =
          arg && typeof arg === 'object' && typeof (arg as { displayUrl?: unknown }).displayUrl === 'string'
            ? (arg as { displayUrl: string }).displayUrl
            : null;
        scheduled.set(String(e.eventId), { activity: a.activityType?.name ?? '', target, at: timeOf(e) });
        break;
      }
      case ET.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const a = e.activityTaskStartedEventAttributes!;
        attempts.set(String(a.scheduledEventId), a.attempt ?? 1);
        break;
      }
      case ET.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case ET.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const a = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes!;
        const id = String(a.scheduledEventId);
        const f = innermost(a.failure);
        const [details] = decode(f?.applicationFailureInfo?.details);
        const status = (details as { httpStatus?: unknown } | null)?.httpStatus;
        const s = scheduled.get(id);
        steps.push({
          activity: s?.activity ?? '',
          target: s?.target ?? null,
          type: failureType(f),
          message: redactUrls(f?.message ?? ''),
          httpStatus: typeof status === 'number' ? status : null,
          attempts: attempts.get(id) ?? 1,
          firstAttemptAt: s?.at ?? null,
          failedAt: timeOf(e),
        });
        break;
      }
      case ET.EVENT_TYPE_MARKER_RECORDED: {
        for (const step of localActivitySteps(e)) steps.push(step);
        break;
      }
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: {
        const f = e.workflowExecutionFailedEventAttributes?.failure;
        failure = { type: failureType(f), message: redactUrls(f?.message ?? ''), at: timeOf(e) };
        const [details] = decode(f?.applicationFailureInfo?.details);
        const list = (details as { outcomes?: unknown } | null)?.outcomes;
        if (Array.isArray(list)) outcomes = list as AttachmentOutcome[];
        break;
      }
    }
  }
  const source = (input?.source as KafkaSource | undefined) ?? null;
  const amended = Number((memo?.replayCount as number | undefined) ?? 0);
  return {
    workflowType,
    input,
    source,
    failure,
    outcomes,
    steps,
    replay,
    replayCount: Math.max(replay?.number ?? 0, amended),
  };
}

/** The SDK's marker of a local activity's result (sdk-core `LOCAL_ACTIVITY_MARKER_NAME`). */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** The local step whose failed transfer attempts are in its result, not in a failure (workflows/ingest-xact-event.ts). */
const ONE_LOCAL_STEP = 'ingestXactLocally';

/**
 * What a local activity's marker adds to the failure chain. Its `data` detail is JSON written by sdk-core
 * (`{"seq":1,"attempt":3,"activity_type":"recordEventAndPlan","original_schedule_time":{"seconds":…,"nanos":…},…}`).
 * A local activity that ended in failure is recorded as a marker, not as ActivityTaskFailed, with the failure as the
 * marker's own: one step. The one local step, completed, lists in its result the transfer attempts it handed over to
 * the regular activity (`handedOver`): one step each, shown as the local attempt of its attachment. Nothing for any
 * other marker.
 */
function localActivitySteps(e: Event): FailedStep[] {
  const a = e.markerRecordedEventAttributes;
  if (a?.markerName !== LOCAL_ACTIVITY_MARKER) return [];
  const [data] = decode(a.details?.data) as [Record<string, unknown> | null];
  const t = data?.original_schedule_time as { seconds?: number; nanos?: number } | null | undefined;
  const firstAttemptAt = t?.seconds
    ? new Date(t.seconds * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString()
    : null;
  if (a.failure) {
    const f = innermost(a.failure);
    const [details] = decode(f?.applicationFailureInfo?.details);
    const status = (details as { httpStatus?: unknown } | null)?.httpStatus;
    return [
      {
        activity: typeof data?.activity_type === 'string' ? data.activity_type : 'local activity',
        target: null,
        type: failureType(f),
        message: redactUrls(f?.message ?? ''),
        httpStatus: typeof status === 'number' ? status : null,
        attempts: Number(data?.attempt ?? 1),
        firstAttemptAt,
        failedAt: timeOf(e),
      },
    ];
  }
  if (data?.activity_type !== ONE_LOCAL_STEP) return [];
  const [result] = decode(a.details?.result) as [Partial<LocalIngestResult> | null];
  const handedOver = Array.isArray(result?.handedOver) ? result.handedOver : [];
  return handedOver.map((h) => ({
    activity: `${ONE_LOCAL_STEP} (local attempt)`,
    target: typeof h.displayUrl === 'string' ? redactUrls(h.displayUrl) : null,
    type: String(h.type ?? 'Unknown'),
    message: redactUrls(String(h.message ?? '')),
    httpStatus: typeof h.httpStatus === 'number' ? h.httpStatus : null,
    attempts: 1,
    firstAttemptAt,
    failedAt: timeOf(e),
  }));
}
