import type { KafkaSource } from './pipeline-types';

/**
 * The one place that spells the pipeline's workflow ids and workflow type names (a unit test keeps it so). Pure:
 * imported by the bridge, the workflows, the worker and the DLQ tools.
 */

export const XACT_DOMAIN = 'xact';

/** Workflow type names, as registered by the worker (the exported functions of src/workflows). */
export const WORKFLOW_TYPES = {
  ingestXactEvent: 'ingestXactEvent',
  quarantineInvalidMessage: 'quarantineInvalidMessage',
  /** The run that replaces a resolved DLQ entry (who resolved it and why). */
  dlqResolution: 'dlqResolution',
  healthCheck: 'healthCheck',
} as const;
export type PipelineWorkflowType = (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES];

/** The workflow types the bridge starts, whose failed runs are DLQ entries. */
export type DlqWorkflowType = typeof WORKFLOW_TYPES.ingestXactEvent | typeof WORKFLOW_TYPES.quarantineInvalidMessage;
export const DLQ_WORKFLOW_TYPES: readonly DlqWorkflowType[] = [
  WORKFLOW_TYPES.ingestXactEvent,
  WORKFLOW_TYPES.quarantineInvalidMessage,
];

const EVENT_PREFIX = `${XACT_DOMAIN}-`;
const INVALID_PREFIX = `${XACT_DOMAIN}-invalid-`;

/** Workflow id of an event: domain + trace id, so a redelivered event maps to the same run. */
export const xactWorkflowId = (traceId: string): string => `${EVENT_PREFIX}${traceId}`;

/** Workflow id of an invalid message: its Kafka coordinates, so a redelivery maps to the same DLQ entry. */
export const invalidMessageWorkflowId = (s: KafkaSource): string =>
  `${INVALID_PREFIX}${s.topic}-${s.partition}-${s.offset}`;

/** The trace id in an event's workflow id; null for an invalid message's id or a foreign one. */
export function traceIdOf(workflowId: string): string | null {
  if (workflowId.startsWith(INVALID_PREFIX)) return null;
  return workflowId.startsWith(EVENT_PREFIX) ? workflowId.slice(EVENT_PREFIX.length) : null;
}

/** The workflow ids an operator may mean by `idOrTrace` (a trace id, or a workflow id), most likely first. */
export function workflowIdCandidates(idOrTrace: string): string[] {
  return [xactWorkflowId(idOrTrace), ...(idOrTrace.startsWith(EVENT_PREFIX) ? [idOrTrace] : [])];
}
