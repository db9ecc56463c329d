import { eventRequest, invalid, readMessage, retrySchedule, safely, type StartRequestOf } from '../start-request';
import { WORKFLOW_TYPES, XACT_DOMAIN, xactWorkflowId } from '../../shared/ids';
import type { IngestXactInput } from '../../shared/pipeline-types';
import { decodeXactEvent, tooManyAttachments } from '../../shared/xact-event';

/** Decides, without I/O, whether an xact message becomes a pipeline run or a DLQ entry, and with which ids. */
export const toStartRequest: StartRequestOf = safely(XACT_DOMAIN, (config, topic, partition, message) => {
  const read = readMessage(topic, partition, message, XACT_DOMAIN);
  if (!('text' in read)) return read;
  const { source, text } = read;
  const decoded = decodeXactEvent(text);
  if (!decoded.ok) return invalid(source, message, decoded.reason);
  const { event } = decoded;
  const tooMany = tooManyAttachments(event, config.maxAttachmentsPerEvent);
  if (tooMany) return invalid(source, message, tooMany);
  const input: IngestXactInput = {
    event,
    rawJson: text,
    source,
    retry: retrySchedule(config),
    maxParallelAttachments: config.maxParallelAttachments,
    transferTimeoutMs: config.downloadTimeoutS * 1000,
    localSteps: true,
  };
  return eventRequest(XACT_DOMAIN, WORKFLOW_TYPES.ingestXactEvent, xactWorkflowId(event.traceId), [input], {
    traceId: event.traceId,
    eventType: event.statusSubtype,
    summary: `${event.statusSubtype} trace ${event.traceId} from ${topic}/${partition}@${message.offset}`,
  });
});
