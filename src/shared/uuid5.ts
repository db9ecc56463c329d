/**
 * RFC 4122 name-based UUIDs (version 5, SHA-1), in plain TypeScript so workflow code can compute them too
 * (no Node crypto in the workflow sandbox). Bit-exact with Python's uuid.uuid5.
 */
export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** uuid5(NAMESPACE_URL, "http://nsmkdvPipe/event_id") of the original system: keeps ids stable with existing data. */
export const NS_EVENT = 'b8ec3745-17c7-5a5a-afbd-9b81a1a71824';
/** uuid5(NAMESPACE_URL, "http://nsmkdvPipe/media_id"). */
export const NS_MEDIA = '63b5635e-4ed0-53e3-9381-ab45f5a83235';
/** uuid5(NAMESPACE_URL, "http://nsmkdvPipe/claimx/event_id"): the namespace of claimx event ids. */
export const NS_CLAIMX_EVENT = 'ad538b38-8d01-53c0-9060-bda6719a4139';

export function uuid5(namespace: string, name: string): string {
  const ns = parseUuid(namespace);
  const hash = sha1(concat(ns, utf8(name)));
  const bytes = hash.slice(0, 16);
  const version = new DataView(bytes.buffer);
  version.setUint8(6, (version.getUint8(6) & 0x0f) | 0x50);
  version.setUint8(8, (version.getUint8(8) & 0x3f) | 0x80);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** event_id of an xact event: UUID5 of its trace id. */
export const xactEventId = (traceId: string): string => uuid5(NS_EVENT, traceId);
/** media_id of an attachment: UUID5 of "{traceId}:{attachment URL}". */
export const xactMediaId = (traceId: string, url: string): string => uuid5(NS_MEDIA, `${traceId}:${url}`);

function parseUuid(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

export function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** SHA-1 (FIPS 180-4). Used only for UUID5 names, never for security. */
export function sha1(msg: Uint8Array): Uint8Array {
  const bitLen = msg.length * 8;
  const padded = new Uint8Array((((msg.length + 8) >> 6) + 1) * 64);
  padded.set(msg);
  padded[msg.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLen / 2 ** 32));
  view.setUint32(padded.length - 4, bitLen >>> 0);
  const h: [number, number, number, number, number] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  // The message schedule: 80 words.
  const schedule = new DataView(new ArrayBuffer(80 * 4));
  const w = (i: number): number => schedule.getUint32(4 * i);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) schedule.setUint32(4 * i, view.getUint32(off + 4 * i));
    for (let i = 16; i < 80; i++) schedule.setUint32(4 * i, rotl(w(i - 3) ^ w(i - 8) ^ w(i - 14) ^ w(i - 16), 1));
    let [a, b, c, d, e] = h;
    for (let i = 0; i < 80; i++) {
      const [f, k] =
        i < 20
          ? [(b & c) | (~b & d), 0x5a827999]
          : i < 40
            ? [b ^ c ^ d, 0x6ed9eba1]
            : i < 60
              ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
              : [b ^ c ^ d, 0xca62c1d6];
      const t = (rotl(a, 5) + f + e + k + w(i)) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] = (h[0] + a) >>> 0;
    h[1] = (h[1] + b) >>> 0;
    h[2] = (h[2] + c) >>> 0;
    h[3] = (h[3] + d) >>> 0;
    h[4] = (h[4] + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  h.forEach((x, i) => ov.setUint32(4 * i, x));
  return out;
}

const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;
