import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from '../config/payload-keys';

/** Metadata of an encrypted payload; the SDKs' samples use the same names, so other tools recognise it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined): string => (b ? new TextDecoder().decode(b) : '');

/** True when the payload is one this codec (or any with the same encoding name) encrypted. */
export function isEncrypted(p: Payload | null | undefined): boolean {
  return text(p?.metadata?.encoding) === ENCRYPTED_ENCODING;
}

/**
 * Encrypts whole payloads (metadata and data, as the Payload protobuf) with AES-256-GCM under the first key; the
 * key id travels in the metadata and is authenticated with the ciphertext. Decrypts with whichever listed key the
 * payload names. Decode passes a payload that is not encrypted through unchanged, so histories written before the
 * codec was turned on stay readable.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly current: PayloadKey;

  /**
   * @param encrypt false = decode only: payloads go to Temporal in the clear, encrypted ones are still read (the
   * state to roll encryption out from, and back to).
   */
  constructor(
    keys: readonly PayloadKey[],
    readonly encrypt = true,
  ) {
    if (keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.current = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** Id of the key new payloads are encrypted with. */
  get keyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return this.encrypt ? payloads.map((p) => this.seal(p)) : payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isEncrypted(p) ? this.open(p) : p));
  }

  private seal(p: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(utf8(this.current.id));
    const plain = temporal.api.common.v1.Payload.encode(p).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: utf8(this.current.id),
        [CIPHER_METADATA]: utf8(CIPHER),
      },
      data: new Uint8Array(sealed),
    };
  }

  private open(p: Payload): Payload {
    const id = text(p.metadata?.[KEY_ID_METADATA]);
    const key = this.byId.get(id);
    if (!key) {
      throw new Error(`payload encrypted with key id "${id}", which TEMPORAL_PAYLOAD_KEYS does not list`);
    }
    const data = Buffer.from(p.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`encrypted payload (key id "${id}") is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(utf8(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error(`encrypted payload does not authenticate under key id "${id}" (wrong key or altered data)`);
    }
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}
