import { createHash } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { KafkaMessage } from 'kafkajs';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { ClaimCheck, IngestXactInput, InvalidMessageInput, KafkaSource } from '../shared/pipeline-types';
import type { XactEvent } from '../shared/xact-event';
import type { StartRequest } from './start-request';

/**
 * Keeps workflow inputs small. Temporal refuses a payload over 2 MB (and a gRPC message over 4 MiB), and an
 * event's input holds the message twice (raw JSON and parsed event), so the bridge measures the input it would
 * send and, above BRIDGE_MAX_INPUT_BYTES, stores the message in the lakehouse and sends a reference instead:
 * a valid event becomes a claim check its run loads; an invalid message keeps its first 4 KB inline.
 */

/** Bytes of the serialized input, as Temporal's default converter encodes it. */
export function inputBytes(req: StartRequest): number {
  return defaultPayloadConverter.toPayload(req.args[0])?.data?.length ?? 0;
}

/** Where a message too large for a workflow input is kept: one object per Kafka offset, so a redelivery rewrites it. */
export function claimCheckPath(source: KafkaSource, kind: StartRequest['kind']): string {
  const folder = kind === 'event' ? 'claim-checks' : 'quarantine';
  return `Files/${folder}/${source.topic}/${source.partition}/${source.offset}.${kind === 'event' ? 'json' : 'bin'}`;
}

/** What the run needs of an event without loading it: type, time, trace id and the assignment id of its files. */
export function headline(event: XactEvent): XactEvent {
  const assignmentId = event.data.assignmentId;
  return { ...event, data: typeof assignmentId === 'string' ? { assignmentId } : {} };
}

const INVALID_HEAD_CHARS = 4096;

/**
 * The request unchanged when its input fits `limit`; otherwise the message is stored (awaited before the start,
 * so no run ever points at a missing object) and the request carries a reference to it.
 */
export async function fitInput(
  req: StartRequest,
  message: KafkaMessage,
  store: ObjectStore,
  limit: number,
): Promise<StartRequest> {
  if (inputBytes(req) <= limit) return req;
  const value = message.value ?? Buffer.alloc(0);
  if (req.kind === 'event') {
    const input = req.args[0] as IngestXactInput;
    const path = claimCheckPath(input.source, 'event');
    await store.put(path, value);
    const claimCheck: ClaimCheck = {
      path,
      bytes: value.length,
      sha256: createHash('sha256').update(value).digest('hex'),
    };
    return { ...req, args: [{ ...input, event: headline(input.event), rawJson: '', claimCheck }] };
  }
  const input = req.args[0] as InvalidMessageInput;
  const path = claimCheckPath(input.source, 'invalid');
  await store.put(path, value);
  return { ...req, args: [{ ...input, payload: input.payload.slice(0, INVALID_HEAD_CHARS), storedAt: path }] };
}
