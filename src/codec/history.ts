import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { isEncrypted } from './encryption-codec';

type History = temporal.api.history.v1.IHistory;

/**
 * Decodes, in place, every encrypted payload of a history fetched raw from Temporal (inputs, results, failure
 * details, markers, memos) and puts each encoded failure's message and stack trace back where readers look for
 * them. A history without encrypted payloads is returned as it came. `payloadCodecs` are the client's.
 */
export async function decodeHistory(history: History, payloadCodecs: readonly PayloadCodec[]): Promise<History> {
  const found: Payload[] = [];
  const failures: { message?: string | null; stackTrace?: string | null; encodedAttributes?: Payload | null }[] = [];
  collect(history, found, failures);
  if (found.length > 0) {
    let decoded = found.map((p) => ({ ...p }));
    for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    if (decoded.some(isEncrypted)) {
      throw new Error(
        'the history holds encrypted payloads and no key to read them: set TEMPORAL_PAYLOAD_KEYS as the pipeline has it',
      );
    }
    decoded.forEach((d, i) => {
      const target = found[i]!;
      target.metadata = d.metadata;
      target.data = d.data;
    });
  }
  for (const f of failures) {
    const attrs = readAttributes(f.encodedAttributes);
    if (typeof attrs?.message === 'string') f.message = attrs.message;
    if (typeof attrs?.stack_trace === 'string') f.stackTrace = attrs.stack_trace;
  }
  return history;
}

function readAttributes(p: Payload | null | undefined): { message?: unknown; stack_trace?: unknown } | null {
  if (!p || isEncrypted(p)) return null;
  try {
    const v = defaultPayloadConverter.fromPayload(p);
    return v && typeof v === 'object' ? (v as { message?: unknown; stack_trace?: unknown }) : null;
  } catch {
    return null;
  }
}

/** Walks the decoded protobuf objects; search attributes (indexed, never encoded) are skipped. */
function collect(node: unknown, found: Payload[], failures: { encodedAttributes?: Payload | null }[]): void {
  if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
  if (Array.isArray(node)) {
    for (const item of node) collect(item, found, failures);
    return;
  }
  const obj = node as Record<string, unknown>;
  if (obj.metadata && typeof obj.metadata === 'object' && isEncrypted(obj as Payload)) {
    found.push(obj as Payload);
    return;
  }
  if (obj.encodedAttributes) failures.push(obj as { encodedAttributes?: Payload | null });
  for (const [k, v] of Object.entries(obj)) {
    if (k !== 'searchAttributes') collect(v, found, failures);
  }
}
