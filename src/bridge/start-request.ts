import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import type { Config } from '../config/config';
import {
  invalidMessageWorkflowId,
  WORKFLOW_TYPES,
  XACT_DOMAIN,
  xactWorkflowId,
  type DlqWorkflowType,
} from '../shared/ids';
import type { IngestXactInput, InvalidMessageInput, KafkaSource } from '../shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { decodeXactEvent } from '../shared/xact-event';

/** What the bridge asks Temporal to start for one Kafka message. */
export interface StartRequest {
  readonly kind: 'event' | 'invalid';
  readonly workflowType: DlqWorkflowType;
  readonly workflowId: string;
  readonly args: [IngestXactInput] | [InvalidMessageInput];
  readonly searchAttributes: TypedSearchAttributes;
  readonly summary: string;
  readonly traceId: string | null;
}

export interface RawMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
  readonly timestamp: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The settings a run takes from the configuration (they travel in its input). */
export type RunSettings = Pick<
  Config,
  | 'retryInitialIntervalS'
  | 'retryBackoff'
  | 'retryMaxIntervalS'
  | 'retryMaxAttempts'
  | 'maxParallelAttachments'
  | 'downloadTimeoutS'
>;

/** Decides, without I/O, whether a message becomes a pipeline run or a DLQ entry, and with which ids. */
export function toStartRequest(
  config: RunSettings,
  topic: string,
  partition: number,
  message: RawMessage,
): StartRequest {
  const source: KafkaSource = { topic, partition, offset: message.offset, timestamp: message.timestamp };
  const value = message.value ?? Buffer.alloc(0);
  let text: string | undefined;
  try {
    text = utf8.decode(value);
  } catch {
    return invalid(source, message, 'message value is not valid UTF-8');
  }
  if (value.length === 0) return invalid(source, message, 'message value is empty');
  const decoded = decodeXactEvent(text);
  if (!decoded.ok) return invalid(source, message, decoded.reason);
  const { event } = decoded;
  const input: IngestXactInput = {
    event,
    rawJson: text,
    source,
    retry: {
      initialIntervalMs: config.retryInitialIntervalS * 1000,
      backoffCoefficient: config.retryBackoff,
      maximumIntervalMs: config.retryMaxIntervalS * 1000,
      maximumAttempts: config.retryMaxAttempts,
    },
    maxParallelAttachments: config.maxParallelAttachments,
    transferTimeoutMs: config.downloadTimeoutS * 1000,
    localSteps: true,
  };
  return {
    kind: 'event',
    workflowType: WORKFLOW_TYPES.ingestXactEvent,
    workflowId: xactWorkflowId(event.traceId),
    args: [input],
    searchAttributes: attributes([
      { key: SEARCH_ATTRIBUTES.traceId, value: event.traceId },
      { key: SEARCH_ATTRIBUTES.eventType, value: event.statusSubtype },
    ]),
    summary: `${event.statusSubtype} trace ${event.traceId} from ${topic}/${partition}@${message.offset}`,
    traceId: event.traceId,
  };
}

/** Builds the DLQ entry of a message that is not a valid event. */
export function invalid(source: KafkaSource, message: RawMessage, reason: string): StartRequest {
  const value = message.value ?? Buffer.alloc(0);
  let payload: string;
  let payloadEncoding: 'utf8' | 'base64' = 'utf8';
  try {
    payload = utf8.decode(value);
  } catch {
    payload = value.toString('base64');
    payloadEncoding = 'base64';
  }
  const input: InvalidMessageInput = {
    reason,
    source,
    key: message.key ? message.key.toString('utf8') : null,
    payload,
    payloadEncoding,
    payloadBytes: value.length,
  };
  return {
    kind: 'invalid',
    workflowType: WORKFLOW_TYPES.quarantineInvalidMessage,
    workflowId: invalidMessageWorkflowId(source),
    args: [input],
    searchAttributes: attributes([]),
    summary: `invalid message ${source.topic}/${source.partition}@${source.offset}: ${reason}`.slice(0, 200),
    traceId: null,
  };
}

function attributes(extra: SearchAttributePair[]): TypedSearchAttributes {
  return new TypedSearchAttributes([{ key: SEARCH_ATTRIBUTES.domain, value: XACT_DOMAIN }, ...extra]);
}
