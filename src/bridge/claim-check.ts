import { createHash } from 'node:crypto';
import { defaultPayloadConverter, ValueError } from '@temporalio/common';
import { domainNamed } from '../domains/registry';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { ClaimCheck, InvalidMessageInput, KafkaSource } from '../shared/pipeline-types';
import { invalid, KEY_INLINE_BYTES, type RawMessage, type StartRequest } from '../domains/start-request';

/**
 * Keeps workflow inputs small. Temporal refuses a payload over 2 MB (and a gRPC message over 4 MiB), and an
 * event's input holds the message twice (raw JSON and parsed event), so the bridge measures the input it would
 * send and, above BRIDGE_MAX_INPUT_BYTES, stores the message in the lakehouse and sends a reference instead:
 * a valid event becomes a claim check its run loads; an invalid message keeps its first 4 KB inline.
 */

/** Sizes measured so far, by input object: an input is never changed once built (a smaller one is a new object). */
const measured = new WeakMap<object, number>();

/**
 * Bytes of the serialized input, as Temporal's default converter encodes it. Measured once per input and carried with
 * it: the size check before the start and the bridge's answer to a start refused as too large use the same count.
 */
export function inputBytes(req: StartRequest): number {
  const input = req.args[0];
  let bytes = measured.get(input);
  if (bytes === undefined) {
    bytes = defaultPayloadConverter.toPayload(input)?.data?.length ?? 0;
    measured.set(input, bytes);
  }
  return bytes;
}

/**
 * An upper bound of `inputBytes` without serializing: JSON escapes a byte into at most 6 characters, and an input
 * holds the message at most twice (an event: raw text and parsed event), an invalid message's key once (at most
 * KEY_INLINE_BYTES of it: a longer key is cut, see start-request) plus fields of bounded size (source, retry
 * schedule, reason). Small messages (the usual case) are thus measured for free; only those near the limit are
 * serialized.
 */
function inputBound(messageBytes: number, req: StartRequest): number {
  return 12 * messageBytes + (req.kind === 'invalid' ? 6 * KEY_INLINE_BYTES + 4 * 4096 : 0) + 16_384;
}

/**
 * Where a message too large for a workflow input is kept (`key`: an invalid message's key too long to keep inline):
 * one object per Kafka offset, so a redelivery rewrites it.
 */
export function claimCheckPath(source: KafkaSource, kind: StartRequest['kind'] | 'key'): string {
  const folder = kind === 'event' ? 'claim-checks' : 'quarantine';
  const ext = kind === 'event' ? 'json' : kind === 'key' ? 'key.bin' : 'bin';
  return `Files/${folder}/${source.topic}/${source.partition}/${source.offset}.${ext}`;
}

const INVALID_HEAD_CHARS = 4096;

/**
 * The request unchanged when its input fits `limit`; otherwise the message is stored (awaited before the start,
 * so no run ever points at a missing object) and the request carries a reference to it.
 */
export async function fitInput(
  req: StartRequest,
  message: RawMessage,
  store: ObjectStore,
  limit: number,
): Promise<StartRequest> {
  const value = message.value ?? Buffer.alloc(0);
  req = await storeCutKey(req, message, store);
  if (inputBound(value.length, req) <= limit || fits(req, limit)) return req;
  if (req.kind === 'event') return fitEvent(req, message, store, limit);
  const input = req.args[0] as InvalidMessageInput;
  const path = claimCheckPath(input.source, 'invalid');
  await store.put(path, value);
  return { ...req, args: [{ ...input, payload: input.payload.slice(0, INVALID_HEAD_CHARS), storedAt: path }] };
}

/**
 * An event too large, as its domain sends one: stored as a claim check (the run loads it), or leaner; when still too
 * large, the message becomes a DLQ entry saying so, fitted as any invalid message.
 */
async function fitEvent(
  req: StartRequest,
  message: RawMessage,
  store: ObjectStore,
  limit: number,
): Promise<StartRequest> {
  const large = domainNamed(req.domain).largeEvent;
  const input = req.args[0] as { source: KafkaSource };
  if (large.kind === 'claim-check') {
    const value = message.value ?? Buffer.alloc(0);
    const path = claimCheckPath(input.source, 'event');
    await store.put(path, value);
    const claimCheck: ClaimCheck = {
      path,
      bytes: value.length,
      sha256: createHash('sha256').update(value).digest('hex'),
    };
    return { ...req, args: [large.withClaimCheck(input, claimCheck)] as StartRequest['args'] };
  }
  const lean: StartRequest = { ...req, args: [large.lean(input)] as StartRequest['args'] };
  if (fits(lean, limit)) return lean;
  const reason =
    `a ${req.domain} event too large for a workflow input even without its ${large.leftOut}: ${inputBytes(lean)} ` +
    `bytes, more than the ${limit} a workflow input may take (BRIDGE_MAX_INPUT_BYTES)`;
  return fitInput(invalid(input.source, message, reason, req.domain), message, store, limit);
}

/**
 * Whether the input fits; one the converter cannot serialise is sent as it is: its start fails the same way and is
 * turned into a DLQ entry (StartRejectedError), the one path for inputs Temporal cannot take.
 */
function fits(req: StartRequest, limit: number): boolean {
  try {
    return inputBytes(req) <= limit;
  } catch (err) {
    if (err instanceof ValueError) return true;
    throw err;
  }
}

/** An invalid message whose key was cut: the whole key is stored next to where its payload would be. */
async function storeCutKey(req: StartRequest, message: RawMessage, store: ObjectStore): Promise<StartRequest> {
  const input = req.args[0] as InvalidMessageInput;
  if (req.kind !== 'invalid' || !input.keyCut || input.keyCut.storedAt || !message.key) return req;
  const storedAt = claimCheckPath(input.source, 'key');
  await store.put(storedAt, message.key);
  return { ...req, args: [{ ...input, keyCut: { ...input.keyCut, storedAt } }] };
}
