import { createHash } from 'node:crypto';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import type { Config } from '../config/config';
import { decodeClaimxEvent } from '../shared/claimx-event';
import {
  CLAIMX_DOMAIN,
  claimxWorkflowId,
  invalidMessageWorkflowId,
  WORKFLOW_TYPES,
  XACT_DOMAIN,
  xactWorkflowId,
  type DlqWorkflowType,
} from '../shared/ids';
import type {
  IngestClaimxInput,
  IngestXactInput,
  InvalidMessageInput,
  KafkaSource,
  RetrySchedule,
} from '../shared/pipeline-types';
import { clipForJson } from '../shared/bounded';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { decodeXactEvent, tooManyAttachments } from '../shared/xact-event';

/** What the bridge asks Temporal to start for one Kafka message. */
export interface StartRequest {
  readonly kind: 'event' | 'invalid';
  readonly domain: string;
  readonly workflowType: DlqWorkflowType;
  readonly workflowId: string;
  readonly args: [IngestXactInput] | [IngestClaimxInput] | [InvalidMessageInput];
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
  | 'maxAttachmentsPerEvent'
  | 'downloadTimeoutS'
>;

/** A start request of one domain's messages (xact: toStartRequest; claimx: toClaimxStartRequest). */
export type StartRequestOf = (
  config: RunSettings,
  topic: string,
  partition: number,
  message: RawMessage,
) => StartRequest;

/** Where the message came from and its value as text, or the DLQ entry of a value that is empty or not UTF-8. */
function readMessage(
  topic: string,
  partition: number,
  message: RawMessage,
  domain: string,
): { source: KafkaSource; text: string } | StartRequest {
  const source: KafkaSource = { topic, partition, offset: message.offset, timestamp: message.timestamp };
  const value = message.value ?? Buffer.alloc(0);
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return invalid(source, message, 'message value is not valid UTF-8', domain);
  }
  if (value.length === 0) return invalid(source, message, 'message value is empty', domain);
  return { source, text };
}

function retrySchedule(config: RunSettings): RetrySchedule {
  return {
    initialIntervalMs: config.retryInitialIntervalS * 1000,
    backoffCoefficient: config.retryBackoff,
    maximumIntervalMs: config.retryMaxIntervalS * 1000,
    maximumAttempts: config.retryMaxAttempts,
  };
}

/**
 * A domain's decision that never throws for a message's content: whatever goes wrong while the start is built (a
 * bug, or an input no code path expected) makes the message a DLQ entry of that domain instead of a retry loop.
 */
export function safely(domain: string, build: StartRequestOf): StartRequestOf {
  return (config, topic, partition, message) => {
    try {
      return build(config, topic, partition, message);
    } catch (err) {
      const source = { topic, partition, offset: message.offset, timestamp: message.timestamp };
      return invalid(source, message, `the start could not be built: ${String(err)}`, domain);
    }
  };
}

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

/** The same decision for a claimx message: its event id (UUID5 of its content) is the run's id. */
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

/** Room for one search attribute value (Temporal refuses a value over 2 KB) and for a run's summary. */
const SEARCH_VALUE_BYTES = 1000;
const SUMMARY_BYTES = 400;
const REASON_BYTES = 2000;

/**
 * The start of an event's run: searchable by domain, trace (or event) id and event type. A trace id or type too long
 * for a search attribute is kept by its start (the run's input holds it whole).
 */
function eventRequest(
  domain: string,
  workflowType: DlqWorkflowType,
  workflowId: string,
  args: StartRequest['args'],
  what: { traceId: string; eventType: string; summary: string },
): StartRequest {
  return {
    kind: 'event',
    domain,
    workflowType,
    workflowId,
    args,
    searchAttributes: attributes(domain, [
      { key: SEARCH_ATTRIBUTES.traceId, value: clipForJson(what.traceId, SEARCH_VALUE_BYTES) },
      { key: SEARCH_ATTRIBUTES.eventType, value: clipForJson(what.eventType, SEARCH_VALUE_BYTES) },
    ]),
    summary: clipForJson(what.summary, SUMMARY_BYTES),
    traceId: what.traceId,
  };
}

/** Builds the DLQ entry of a message that is not a valid event. */
export function invalid(
  source: KafkaSource,
  message: RawMessage,
  reason: string,
  domain: string = XACT_DOMAIN,
): StartRequest {
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
    reason: clipForJson(reason, REASON_BYTES), // a reason may quote the message (a 3 MB utcDateTime)
    source,
    ...keyOf(message.key),
    payload,
    payloadEncoding,
    payloadBytes: value.length,
  };
  return {
    kind: 'invalid',
    domain,
    workflowType: WORKFLOW_TYPES.quarantineInvalidMessage,
    workflowId: invalidMessageWorkflowId(source, domain),
    args: [input],
    searchAttributes: attributes(domain, []),
    summary: clipForJson(
      `invalid message ${source.topic}/${source.partition}@${source.offset}: ${reason}`,
      SUMMARY_BYTES,
    ),
    traceId: null,
  };
}

/** A key longer than this (bytes) keeps only its first KEY_HEAD_CHARS characters inline; the bridge stores it whole. */
export const KEY_INLINE_BYTES = 1024;
const KEY_HEAD_CHARS = 256;

/** The key as an invalid message's input holds it: whole when short, else a head marked by `keyCut`. */
function keyOf(key: Buffer | null): Pick<InvalidMessageInput, 'key' | 'keyCut'> {
  if (!key) return { key: null };
  if (key.length <= KEY_INLINE_BYTES) return { key: key.toString('utf8') };
  const head = Array.from(key.subarray(0, 4 * KEY_HEAD_CHARS).toString('utf8'))
    .slice(0, KEY_HEAD_CHARS)
    .join('');
  return { key: head, keyCut: { bytes: key.length, sha256: createHash('sha256').update(key).digest('hex') } };
}

function attributes(domain: string, extra: SearchAttributePair[]): TypedSearchAttributes {
  return new TypedSearchAttributes([{ key: SEARCH_ATTRIBUTES.domain, value: domain }, ...extra]);
}
