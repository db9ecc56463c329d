import { createHash } from 'node:crypto';

/** Deterministic sample attachment bodies: the same path and size always give the same bytes. */
const CONTENT_TYPE: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  xml: 'application/xml',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  esx: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const sampleContentType = (ext: string): string => CONTENT_TYPE[ext] ?? 'application/octet-stream';

const HEAD: Record<string, Buffer> = {
  pdf: Buffer.from('%PDF-1.4\n% kafka-pipeline sample\n'),
  jpg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  xml: Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<sample>\n'),
};
const TAIL: Record<string, Buffer> = {
  pdf: Buffer.from('\n%%EOF\n'),
  jpg: Buffer.from([0xff, 0xd9]),
  xml: Buffer.from('\n</sample>\n'),
};

/** Chunk `index` of the filler bytes of `path`: xorshift128 seeded by SHA-256(path:index), cheap and deterministic. */
function filler(path: string, index: number, length: number): Buffer {
  const seed = createHash('sha256').update(`${path}:${index}`).digest();
  let [x, y, z, w] = [seed.readUInt32LE(0) | 1, seed.readUInt32LE(4), seed.readUInt32LE(8), seed.readUInt32LE(12)];
  const words = new Uint32Array(Math.ceil(length / 4));
  for (let i = 0; i < words.length; i++) {
    const t = x ^ (x << 11);
    [x, y, z] = [y, z, w];
    w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    words[i] = w;
  }
  return Buffer.from(words.buffer, 0, length);
}

export const CHUNK = 64 * 1024;

/** Yields the body of `path` with exactly `size` bytes, chunk by chunk (so 1 GB bodies stream in constant memory). */
export function* sampleBody(path: string, ext: string, size: number): Generator<Buffer> {
  const head = HEAD[ext === 'jpeg' ? 'jpg' : ext] ?? Buffer.alloc(0);
  const tail = TAIL[ext === 'jpeg' ? 'jpg' : ext] ?? Buffer.alloc(0);
  if (size < head.length + tail.length) {
    yield Buffer.concat([head, tail]).subarray(0, size);
    return;
  }
  yield head;
  let remaining = size - head.length - tail.length;
  for (let i = 0; remaining > 0; i++) {
    const n = Math.min(CHUNK, remaining);
    yield filler(path, i, n);
    remaining -= n;
  }
  yield tail;
}
