import { createHash } from 'node:crypto';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import type { Config } from '../config/config';
import { invalidMessageWorkflowId, WORKFLOW_TYPES, XACT_DOMAIN } from '../shared/ids';
import type {
  IngestClaimxInput,
  IngestXactInput,
  InvalidMessageInput,
  KafkaSource,
  RetrySchedule,
} from '../shared/pipeline-types';
import { clipForJson } from '../shared/bounded';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';

/** What the bridge asks Temporal to start for one Kafka message. */
export interface StartRequest {
  readonly kind: 'event' | 'invalid';
  readonly domain: string;
  readonly workflowType: string;
  readonly workflowId: string;
  readonly args: [IngestXactInput] | [IngestClaimxInput] | [InvalidMessageInput] | [DomainEventInput];
  readonly searchAttributes: TypedSearchAttributes;
  readonly summary: string;
  readonly traceId: string | null;
}

/** What every domain's event input holds (a domain's own input type adds the rest). */
export interface DomainEventInput {
  readonly source: KafkaSource;
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

/** A start request of one domain's messages (each Domain's toStart, src/domains). */
export type StartRequestOf = (
  config: RunSettings,
  topic: string,
  partition: number,
  message: RawMessage,
) => StartRequest;

/** Where the message came from and its value as text, or the DLQ entry of a value that is empty or not UTF-8. */
export function readMessage(
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

export function retrySchedule(config: RunSettings): RetrySchedule {
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

/** Room for one search attribute value (Temporal refuses a value over 2 KB) and for a run's summary. */
const SEARCH_VALUE_BYTES = 1000;
const SUMMARY_BYTES = 400;
const REASON_BYTES = 2000;

/**
 * The start of an event's run: searchable by domain, trace (or event) id and event type. A trace id or type too long
 * for a search attribute is kept by its start (the run's input holds it whole).
 */
export function eventRequest(
  domain: string,
  workflowType: string,
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
