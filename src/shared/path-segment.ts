import { sha1, utf8 } from './uuid5';

/**
 * Bounded, deterministic names for path segments (folders and files in the lakehouse or on a local disk).
 *
 * 255 is the limit of one segment on the filesystems the pipeline writes to: bytes on ext4/xfs/btrfs, characters
 * on ADLS Gen2 / OneLake (a UTF-8 byte bound is the stricter of the two). A name that fits keeps its exact form, so
 * every path that could be written before keeps its name; a longer one is cut on a code-point boundary and ends in
 * `~` and a hash of the whole name, so two long names that share their beginning still land apart.
 */
export const MAX_SEGMENT_BYTES = 255;
const HASH_HEX = 8;

/** Characters no file name should hold: controls (C0, C1), format characters (bidi overrides such as U+202E,
 * zero-width ones, BOM), lone surrogates, line and paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** `text` with every control, format (bidi) or separator character replaced by `_`. */
export function withoutInvisibles(text: string): string {
  return text.replace(INVISIBLE, '_');
}

export function utf8Bytes(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Hex of the SHA-1 of `text` (not for security: a short, stable tag of a name). */
export function nameHash(text: string, hexDigits = HASH_HEX): string {
  return [...sha1(utf8(text))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, hexDigits);
}

/**
 * The longest prefix of `text`, cut between code points, whose encoded form (`encode`, default the text itself)
 * takes at most `maxBytes` bytes of UTF-8.
 */
export function cutToBytes(text: string, maxBytes: number, encode: (s: string) => string = (s) => s): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = utf8Bytes(encode(ch));
    if (used + n > maxBytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * A segment named `stem` + `.ext` (no dot when `ext` is empty), at most `maxBytes` bytes of UTF-8: as is when it
 * fits, else the stem cut and tagged with `~<hash of the whole name>`; the extension is kept (cut only when it alone
 * is longer than the segment may be).
 * `encode` maps text to its on-disk form (e.g. encodeURIComponent); the bound applies to that form. `hashOf` is
 * what the tag is computed from when the name was already shortened before (default: the name itself).
 */
export function boundedSegment(
  stem: string,
  ext = '',
  opts: { maxBytes?: number; encode?: (s: string) => string; hashOf?: string } = {},
): string {
  const max = opts.maxBytes ?? MAX_SEGMENT_BYTES;
  const encode = opts.encode ?? ((s: string) => s);
  const tail = ext ? `.${ext}` : '';
  const whole = encode(stem) + tail;
  if (utf8Bytes(whole) <= max) return whole;
  const tag = `~${nameHash(opts.hashOf ?? stem + tail)}`;
  const room = max - utf8Bytes(tag) - utf8Bytes(tail);
  // An extension too long for the segment by itself (no real file type is) is cut too, after the tag.
  if (room < 0) return tag + `.${cutToBytes(ext, max - utf8Bytes(tag) - 1)}`;
  return encode(cutToBytes(stem, room, encode)) + tag + tail;
}
