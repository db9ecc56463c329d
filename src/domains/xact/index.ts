import { WORKFLOW_TYPES, XACT_DOMAIN, xactTraceIdOf, xactWorkflowId } from '../../shared/ids';
import type { IngestXactInput } from '../../shared/pipeline-types';
import type { XactEvent } from '../../shared/xact-event';
import type { Domain } from '../domain';
import { sampleEvent } from './sample';
import { XACT_ATTACHMENTS, XACT_EVENTS } from './tables';
import { toStartRequest } from './start';
import { XACT_REPLAY } from './replay';

/** What the run needs of an event without loading it: type, time, trace id and the assignment id of its files. */
export function headline(event: XactEvent): XactEvent {
  const assignmentId = event.data.assignmentId;
  return { ...event, data: typeof assignmentId === 'string' ? { assignmentId } : {} };
}

/** The xact domain: XactAnalysis status events, their attachments downloaded to the lakehouse. */
export const XACT: Domain = {
  name: XACT_DOMAIN,
  workflowType: WORKFLOW_TYPES.ingestXactEvent,
  source: (config) => ({ topic: config.eventsTopic, group: config.consumerGroup }),
  toStart: toStartRequest,
  largeEvent: {
    kind: 'claim-check',
    withClaimCheck: (input, claimCheck) => {
      const event = input as IngestXactInput;
      return { ...event, event: headline(event.event), rawJson: '', claimCheck };
    },
    claimCheckOf: (input) => (input as IngestXactInput).claimCheck,
  },
  ids: { workflowIdOf: xactWorkflowId, traceIdOf: xactTraceIdOf },
  tables: (config) => [
    { def: XACT_EVENTS, path: config.xactEventsTable },
    { def: XACT_ATTACHMENTS, path: config.xactAttachmentsTable },
  ],
  replay: XACT_REPLAY,
  viewEvent: (input) => (input as { event?: unknown } | null)?.event,
  sample: {
    event: (i, r) =>
      sampleEvent(i, { sampleUrl: r.sampleUrl, attachments: r.attachments(), failRate: r.failRate, bytes: r.bytes }),
    key: (e) => String(e.traceId),
  },
};
