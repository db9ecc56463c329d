/**
 * The claimx event as it arrives on `claimx.events.raw` (spec §1.2): a webhook event of the claims platform, in
 * snake_case or camelCase, decoded and validated. Pure (bridge, workflows and tests use it).
 */
import { NS_CLAIMX_EVENT, uuid5 } from './uuid5';
import { type JsonObject, parseJsonObject } from './xact-event';

export interface ClaimxEvent {
  /** UUID5 of project, type, ingestion time and the entity ids (claimxEventId): the same for every redelivery. */
  readonly eventId: string;
  readonly eventType: string;
  /** Digits only: the API takes it as an integer. */
  readonly projectId: string;
  /** Ingestion time as Python's isoformat() writes it (the original's id rule hashes this text). */
  readonly ingestedAt: string;
  readonly mediaId: string | null;
  readonly taskAssignmentId: string | null;
  readonly videoCollaborationId: string | null;
  readonly masterFileName: string | null;
  /** The id the producer sent, if any (kept for lineage; eventId is always recomputed). */
  readonly producerEventId: string | null;
  readonly rawData: JsonObject | null;
}

export type ClaimxDecodeResult = { ok: true; event: ClaimxEvent; raw: JsonObject } | { ok: false; reason: string };

const fail = (reason: string): ClaimxDecodeResult => ({ ok: false, reason });

/** A field by its snake_case or camelCase name (snake wins when both are present, as in the original's model). */
function field(raw: JsonObject, snake: string, camel: string): unknown {
  return raw[snake] ?? raw[camel];
}

/** An optional id: a non-blank string or an integer, as text; null when absent. */
function optionalId(raw: JsonObject, snake: string, camel: string): { ok: true; value: string | null } | { ok: false } {
  const v = field(raw, snake, camel);
  if (v === undefined || v === null) return { ok: true, value: null };
  if (typeof v === 'number' && Number.isSafeInteger(v)) return { ok: true, value: String(v) };
  if (typeof v === 'string') return { ok: true, value: v.trim() === '' ? null : v.trim() };
  return { ok: false };
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO-8601 time as Python's `datetime.isoformat()` writes the parsed value: seconds always, microseconds only
 * when not zero (6 digits, truncated), `Z` as `+00:00`, the offset kept; a time without offset is taken as UTC
 * (the original stored UTC). Null when the text is not such a time.
 */
export function pythonIsoFormat(text: string): string | null {
  const m = ISO.exec(text.trim());
  if (!m || Number.isNaN(Date.parse(`${m[1]}T${m[2]}Z`))) return null;
  const micros = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  const fraction = /^0+$/.test(micros) ? '' : `.${micros}`;
  const zone =
    !m[4] || m[4].toUpperCase() === 'Z' ? '+00:00' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  return `${m[1]}T${m[2]}${fraction}${zone}`;
}

/** The original's claimx event id: UUID5(ns_cx, "project|type|ingested_at[|media:ID][|task:ID][|video:ID]"). */
export function claimxEventId(
  e: Pick<
    ClaimxEvent,
    'projectId' | 'eventType' | 'ingestedAt' | 'mediaId' | 'taskAssignmentId' | 'videoCollaborationId'
  >,
): string {
  let name = `${e.projectId}|${e.eventType}|${e.ingestedAt}`;
  if (e.mediaId) name += `|media:${e.mediaId}`;
  if (e.taskAssignmentId) name += `|task:${e.taskAssignmentId}`;
  if (e.videoCollaborationId) name += `|video:${e.videoCollaborationId}`;
  return uuid5(NS_CLAIMX_EVENT, name);
}

/**
 * Decodes a message value into a claimx event, or says precisely why it is not one. `fallbackTime` (the Kafka
 * message's timestamp, ISO) stands in for a missing ingestion time: unlike the original's "now", it is the same on
 * every redelivery, so the event keeps its id.
 */
export function decodeClaimxEvent(text: string, fallbackTime?: string): ClaimxDecodeResult {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;

  const eventType = field(raw, 'event_type', 'eventType');
  if (typeof eventType !== 'string' || eventType.trim() === '') {
    return fail('missing event_type (or eventType): a non-blank string is required');
  }
  const project = optionalId(raw, 'project_id', 'projectId');
  if (!project.ok || project.value === null || !/^\d+$/.test(project.value)) {
    return fail(
      `project_id (or projectId) ${JSON.stringify(field(raw, 'project_id', 'projectId') ?? null)} is not a numeric id`,
    );
  }
  const rawTime = field(raw, 'ingested_at', 'IngestionTime') ?? fallbackTime;
  const ingestedAt = typeof rawTime === 'string' ? pythonIsoFormat(rawTime) : null;
  if (ingestedAt === null) {
    return fail(`ingested_at (or IngestionTime) ${JSON.stringify(rawTime ?? null)} is not an ISO-8601 time`);
  }
  const ids: Record<string, string | null> = {};
  for (const [snake, camel] of [
    ['media_id', 'mediaId'],
    ['task_assignment_id', 'taskAssignmentId'],
    ['video_collaboration_id', 'videoCollaborationId'],
    ['event_id', 'eventId'],
  ] as const) {
    const id = optionalId(raw, snake, camel);
    if (!id.ok) return fail(`${snake} (or ${camel}) must be a string or an integer`);
    ids[snake] = id.value;
  }
  const mfn = field(raw, 'master_file_name', 'masterFileName');
  if (mfn !== undefined && mfn !== null && typeof mfn !== 'string') return fail('master_file_name must be a string');
  const rawData = raw.raw_data;
  if (rawData !== undefined && rawData !== null && (typeof rawData !== 'object' || Array.isArray(rawData))) {
    return fail('raw_data must be a JSON object');
  }
  const base = {
    eventType: eventType.trim(),
    projectId: project.value,
    ingestedAt,
    mediaId: ids.media_id ?? null,
    taskAssignmentId: ids.task_assignment_id ?? null,
    videoCollaborationId: ids.video_collaboration_id ?? null,
  };
  return {
    ok: true,
    raw,
    event: {
      ...base,
      eventId: claimxEventId(base),
      masterFileName: typeof mfn === 'string' && mfn.trim() !== '' ? mfn.trim() : null,
      producerEventId: ids.event_id ?? null,
      rawData: (rawData as JsonObject | null | undefined) ?? null,
    },
  };
}

/** What enriches an event of each type (spec §1.2 table); an unknown type is recorded and completed. */
export type ClaimxHandler = 'project' | 'projectMfn' | 'media' | 'task' | 'policyholder' | 'video' | 'xaLinking';

const HANDLERS: Readonly<Record<string, ClaimxHandler>> = {
  PROJECT_CREATED: 'project',
  PROJECT_MFN_ADDED: 'projectMfn',
  PROJECT_FILE_ADDED: 'media',
  CUSTOM_TASK_ASSIGNED: 'task',
  CUSTOM_TASK_COMPLETED: 'task',
  POLICYHOLDER_INVITED: 'policyholder',
  POLICYHOLDER_JOINED: 'policyholder',
  VIDEO_COLLABORATION_INVITE_SENT: 'video',
  VIDEO_COLLABORATION_COMPLETED: 'video',
  PROJECT_AUTO_XA_LINKING_UNSUCCESSFUL: 'xaLinking',
};

/** The handler of an event type; null for a type the pipeline does not enrich. */
export function claimxHandlerOf(eventType: string): ClaimxHandler | null {
  return Object.hasOwn(HANDLERS, eventType) ? HANDLERS[eventType]! : null;
}

/** Every event type the pipeline enriches. */
export const CLAIMX_EVENT_TYPES: readonly string[] = Object.keys(HANDLERS);

/**
 * ClaimX media links expire; a download the file service refuses as expired (HTTP 403, or a message saying so) is
 * refreshed through the API and tried again, at most this often per file. The original classified 403 as
 * permanent, so its refresh path never ran for HTTP errors (spec §2.3).
 */
export const MAX_LINK_REFRESHES = 2;

/** True when a failed download looks like an expired link (what a refresh can fix). */
export function isExpiredLinkFailure(failure: { httpStatus?: number | null; message: string }): boolean {
  return failure.httpStatus === 403 || /\b(expired|forbidden|access denied)\b/i.test(failure.message);
}
