/**
 * The payload encryption keys, from TEMPORAL_PAYLOAD_KEYS: `id:base64` pairs separated by commas, each key 32
 * bytes (AES-256). The first key encrypts; every key listed decrypts, so a key is rotated by putting the new one
 * first and keeping the old one after it until no history or archive written with it is still needed.
 */
export interface PayloadKey {
  readonly id: string;
  readonly key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_BYTES = 32;

/** Parses TEMPORAL_PAYLOAD_KEYS. Errors name the position and key id, never the key material. */
export function parsePayloadKeys(spec: string): PayloadKey[] {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new Error('no key: expected id:base64key[,id:base64key...]');
  const seen = new Set<string>();
  return items.map((item, i) => {
    const colon = item.indexOf(':');
    const id = colon > 0 ? item.slice(0, colon) : '';
    if (!KEY_ID.test(id)) throw new Error(`key ${i + 1}: expected id:base64key with an id of letters, digits, . _ -`);
    if (seen.has(id)) throw new Error(`key ${i + 1}: id ${id} is listed twice`);
    seen.add(id);
    const b64 = item.slice(colon + 1);
    const key = Buffer.from(b64, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.length !== KEY_BYTES) {
      throw new Error(`key ${id}: must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32), got ${key.length}`);
    }
    return { id, key };
  });
}
