import type { Payload } from '@temporalio/common';

/** A payload as proto3 JSON, the shape the codec server protocol and the archive files use: bytes in base64. */
export interface PayloadJson {
  metadata: Record<string, string>;
  data: string;
}

const b64 = (b: Uint8Array | null | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('base64');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

export function payloadToJson(p: Payload): PayloadJson {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = b64(v);
  return { metadata, data: b64(p.data) };
}

/** Reads one payload of a request body; throws a message fit for a 400 answer on anything else. */
export function payloadFromJson(v: unknown, where: string): Payload {
  if (!v || typeof v !== 'object') throw new Error(`${where}: expected {metadata, data}`);
  const { metadata, data } = v as { metadata?: unknown; data?: unknown };
  if (data !== undefined && data !== null && typeof data !== 'string')
    throw new Error(`${where}.data: expected base64`);
  if (metadata !== undefined && metadata !== null && typeof metadata !== 'object') {
    throw new Error(`${where}.metadata: expected an object of base64 values`);
  }
  const out: Record<string, Uint8Array> = {};
  for (const [k, m] of Object.entries((metadata ?? {}) as Record<string, unknown>)) {
    if (typeof m !== 'string') throw new Error(`${where}.metadata.${k}: expected base64`);
    out[k] = bytes(m);
  }
  return { metadata: out, data: bytes(typeof data === 'string' ? data : '') };
}
