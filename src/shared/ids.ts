import type { KafkaSource } from './pipeline-types';
import { utf8, xactEventId } from './uuid5';

/**
 * The one place that spells the pipeline's workflow ids and workflow type names (a unit test keeps it so). Pure:
 * imported by the bridge, the workflows, the worker and the DLQ tools.
 */

export const XACT_DOMAIN = 'xact';
export const CLAIMX_DOMAIN = 'claimx';

/** Workflow type names, as registered by the worker (the exported functions of src/workflows). */
export const WORKFLOW_TYPES = {
  ingestXactEvent: 'ingestXactEvent',
  ingestClaimxEvent: 'ingestClaimxEvent',
  quarantineInvalidMessage: 'quarantineInvalidMessage',
  /** The run that replaces a resolved DLQ entry (who resolved it and why). */
  dlqResolution: 'dlqResolution',
  healthCheck: 'healthCheck',
  /** Scheduled table maintenance: compaction, checkpoint, log cleanup, vacuum of one Delta table. */
  maintainDeltaTable: 'maintainDeltaTable',
  /** Scheduled retention of claim checks, quarantined payloads and DLQ archive inputs. */
  maintainSideFiles: 'maintainSideFiles',
} as const;
export type PipelineWorkflowType = (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES];

const EVENT_PREFIX = `${XACT_DOMAIN}-`;
const INVALID_PREFIX = `${XACT_DOMAIN}-invalid-`;
/** Marks an event id derived from a hash of the trace id: a trace id kept as it is never starts with it. */
const HASHED_MARK = '~';
const HASHED_PREFIX = `${EVENT_PREFIX}${HASHED_MARK}`;

/**
 * Longest workflow id, in UTF-8 bytes, that the pipeline builds from a trace id. Temporal refuses ids over
 * `limit.maxIDLength` (1000 by default; many deployments set 255), and a workflow id also names DLQ archive folders.
 */
export const MAX_WORKFLOW_ID_BYTES = 255;
/** Characters of a hashed id's readable part (the start of the trace id, other characters as `_`). */
const HASHED_READABLE_CHARS = 40;

/** A trace id that is its own workflow id's tail: printable ASCII, short, and outside the reserved spaces. */
function keptAsIs(traceId: string): boolean {
  return (
    /^[\x20-\x7e]+$/.test(traceId) &&
    !traceId.startsWith(HASHED_MARK) &&
    !`${EVENT_PREFIX}${traceId}`.startsWith(INVALID_PREFIX) && // a trace id `invalid-…` is hashed
    EVENT_PREFIX.length + traceId.length <= MAX_WORKFLOW_ID_BYTES
  );
}

/**
 * Workflow id of an event: domain + trace id, so a redelivered event maps to the same run. A trace id that is not
 * printable ASCII, is too long for an id, or starts like a reserved id (`invalid-`, `~`) maps to
 * `xact-~<readable start>~<its event_id>` instead (event_id: UUID5 of the whole trace id, so redeliveries still
 * meet the same run): no trace id can name an invalid message's run, and every id is short printable ASCII.
 */
export function xactWorkflowId(traceId: string): string {
  if (keptAsIs(traceId)) return `${EVENT_PREFIX}${traceId}`;
  const readable = Array.from(traceId.slice(0, 2 * HASHED_READABLE_CHARS))
    .slice(0, HASHED_READABLE_CHARS)
    .map((c) => (/^[A-Za-z0-9._-]$/.test(c) ? c : '_'))
    .join('');
  return `${HASHED_PREFIX}${readable}${HASHED_MARK}${xactEventId(traceId)}`;
}

/** UTF-8 bytes of a text (what Temporal's id and size limits count). */
export const utf8Bytes = (text: string): number => utf8(text).length;

const CLAIMX_PREFIX = `${CLAIMX_DOMAIN}-`;

/** Workflow id of a claimx event: domain + its event id (UUID5 of its content), the same for every redelivery. */
export const claimxWorkflowId = (eventId: string): string => `${CLAIMX_PREFIX}${eventId}`;

/** The first part of the workflow id of a domain's invalid messages (src/domains: no event id starts like it). */
export const invalidPrefix = (domain: string): string => `${domain}-invalid-`;

/** Workflow id of an invalid message: its domain and Kafka coordinates, so a redelivery maps to the same DLQ entry. */
export const invalidMessageWorkflowId = (s: KafkaSource, domain: string = XACT_DOMAIN): string =>
  `${invalidPrefix(domain)}${s.topic}-${s.partition}-${s.offset}`;

/** The trace id in an xact workflow id; null for an invalid message's id, a hashed one (see its TraceId) or a foreign one. */
export function xactTraceIdOf(workflowId: string): string | null {
  if (workflowId.startsWith(INVALID_PREFIX) || workflowId.startsWith(HASHED_PREFIX)) return null;
  return workflowId.startsWith(EVENT_PREFIX) ? workflowId.slice(EVENT_PREFIX.length) : null;
}

/** The event id in a claimx workflow id (operators use it as a trace id); null for an invalid message's or a foreign id. */
export function claimxEventIdOf(workflowId: string): string | null {
  if (workflowId.startsWith(invalidPrefix(CLAIMX_DOMAIN))) return null;
  return workflowId.startsWith(CLAIMX_PREFIX) ? workflowId.slice(CLAIMX_PREFIX.length) : null;
}

/** Temporal refuses (INTERNAL, not INVALID_ARGUMENT) an id that is not well-formed UTF-16, and ids over 1000 bytes. */
export function temporalAcceptsId(id: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(id) && utf8Bytes(id) <= 1000;
}

/** What a maintenance schedule looks after: a Delta table by the name operators use, or the side files. */
export const SIDE_FILES_TARGET = 'side-files';
/**
 * Id of the Temporal Schedule of one maintenance target (and of its runs: Temporal appends the scheduled time).
 * One per target, so creating it again at every worker start finds the existing one.
 */
export const maintenanceScheduleId = (target: string): string => `maintenance-${target}`;
