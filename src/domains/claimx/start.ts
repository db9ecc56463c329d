import { eventRequest, invalid, readMessage, retrySchedule, safely, type StartRequestOf } from '../start-request';
import { decodeClaimxEvent } from '../../shared/claimx-event';
import { CLAIMX_DOMAIN, claimxWorkflowId, WORKFLOW_TYPES } from '../../shared/ids';
import type { IngestClaimxInput } from '../../shared/pipeline-types';

/** Decides, without I/O, whether a claimx message becomes a run or a DLQ entry: its event id (UUID5 of its content) is the run's id. */
export const toClaimxStartRequest: StartRequestOf = safely(CLAIMX_DOMAIN, (config, topic, partition, message) => {
  const read = readMessage(topic, partition, message, CLAIMX_DOMAIN);
  if (!('text' in read)) return read;
  const { source } = read;
  const kafkaTime = /^\d+$/.test(message.timestamp) ? new Date(Number(message.timestamp)).toISOString() : undefined;
  const decoded = decodeClaimxEvent(read.text, kafkaTime);
  if (!decoded.ok) return invalid(source, message, decoded.reason, CLAIMX_DOMAIN);
  const { event } = decoded;
  const input: IngestClaimxInput = {
    event,
    source,
    retry: retrySchedule(config),
    transferTimeoutMs: config.downloadTimeoutS * 1000,
  };
  return eventRequest(CLAIMX_DOMAIN, WORKFLOW_TYPES.ingestClaimxEvent, claimxWorkflowId(event.eventId), [input], {
    traceId: event.eventId,
    eventType: event.eventType,
    summary: `${event.eventType} project ${event.projectId} from ${topic}/${partition}@${message.offset}`,
  });
});
