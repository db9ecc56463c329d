import type { KafkaSource } from './pipeline-types';

/**
 * The one place that spells the pipeline's workflow ids and workflow type names (a unit test keeps it so). Pure:
 * imported by the bridge, the workflows, the worker and the DLQ tools.
 */

export const XACT_DOMAIN = 'xact';
export const CLAIMX_DOMAIN = 'claimx';
/** Every domain: the metrics of each exist (at 0) from the start, so dashboards and alerts see them at once. */
export const DOMAINS: readonly string[] = [XACT_DOMAIN, CLAIMX_DOMAIN];

/** Workflow type names, as registered by the worker (the exported functions of src/workflows). */
export const WORKFLOW_TYPES = {
  ingestXactEvent: 'ingestXactEvent',
  ingestClaimxEvent: 'ingestClaimxEvent',
  quarantineInvalidMessage: 'quarantineInvalidMessage',
  /** The run that replaces a resolved DLQ entry (who resolved it and why). */
  dlqResolution: 'dlqResolution',
  healthCheck: 'healthCheck',
} as const;
export type PipelineWorkflowType = (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES];

/** The workflow types the bridge starts, whose failed runs are DLQ entries. */
export type DlqWorkflowType =
  | typeof WORKFLOW_TYPES.ingestXactEvent
  | typeof WORKFLOW_TYPES.ingestClaimxEvent
  | typeof WORKFLOW_TYPES.quarantineInvalidMessage;
export const DLQ_WORKFLOW_TYPES: readonly DlqWorkflowType[] = [
  WORKFLOW_TYPES.ingestXactEvent,
  WORKFLOW_TYPES.ingestClaimxEvent,
  WORKFLOW_TYPES.quarantineInvalidMessage,
];

const EVENT_PREFIX = `${XACT_DOMAIN}-`;
const INVALID_PREFIX = `${XACT_DOMAIN}-invalid-`;

/** Workflow id of an event: domain + trace id, so a redelivered event maps to the same run. */
export const xactWorkflowId = (traceId: string): string => `${EVENT_PREFIX}${traceId}`;

const CLAIMX_PREFIX = `${CLAIMX_DOMAIN}-`;
const CLAIMX_INVALID_PREFIX = `${CLAIMX_DOMAIN}-invalid-`;

/** Workflow id of a claimx event: domain + its event id (UUID5 of its content), the same for every redelivery. */
export const claimxWorkflowId = (eventId: string): string => `${CLAIMX_PREFIX}${eventId}`;

/** Workflow id of an invalid message: its domain and Kafka coordinates, so a redelivery maps to the same DLQ entry. */
export const invalidMessageWorkflowId = (s: KafkaSource, domain: string = XACT_DOMAIN): string =>
  `${domain === XACT_DOMAIN ? INVALID_PREFIX : CLAIMX_INVALID_PREFIX}${s.topic}-${s.partition}-${s.offset}`;

/**
 * The trace id in an event's workflow id (for a claimx event: its event id, which operators use the same way);
 * null for an invalid message's id or a foreign one.
 */
export function traceIdOf(workflowId: string): string | null {
  if (workflowId.startsWith(INVALID_PREFIX) || workflowId.startsWith(CLAIMX_INVALID_PREFIX)) return null;
  if (workflowId.startsWith(CLAIMX_PREFIX)) return workflowId.slice(CLAIMX_PREFIX.length);
  return workflowId.startsWith(EVENT_PREFIX) ? workflowId.slice(EVENT_PREFIX.length) : null;
}

/** The workflow ids an operator may mean by `idOrTrace` (a trace or event id, or a workflow id), most likely first. */
export function workflowIdCandidates(idOrTrace: string): string[] {
  const asWorkflowId = idOrTrace.startsWith(EVENT_PREFIX) || idOrTrace.startsWith(CLAIMX_PREFIX) ? [idOrTrace] : [];
  return [xactWorkflowId(idOrTrace), claimxWorkflowId(idOrTrace), ...asWorkflowId];
}
