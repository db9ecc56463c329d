/**
 * A set of row keys held as their UTF-8 bytes in typed arrays: an open-addressing hash table over an arena of
 * key bytes. The exactly-once check (docs/design.md) asks it two things per appended row — is the key already in
 * the batch, is it already in the table — so it must be cheaper than a `Set<string>`, whose insertions wait on
 * memory for each string's header, scattered over the heap (a 100k-row append: ~18 ms for the Set, ~4 ms here,
 * hashing the key column's bytes the data file needs anyway). A hash match is confirmed byte by byte, so two keys
 * are the same only when their bytes are: a collision costs a comparison, never a row. Memory: the key's bytes
 * plus 20-30 bytes per key, up to about twice that right after the arrays doubled (84 bytes per key measured for
 * 1.2 M 36-character keys).
 *
 * Entry e is the e-th key added; entries are never removed (a partition's set is dropped as a whole).
 */
export class KeySet {
  private arena: Uint8Array;
  /** End of entry e's bytes in the arena (its start is the end of entry e - 1, or 0). */
  private ends: Int32Array;
  private hashes: Int32Array;
  /** Entry + 1 per slot, 0 for an empty slot; a power of two at least twice `size`. */
  private slots: Int32Array;
  private count = 0;

  /** An empty set with room for `keys` keys of `bytes` bytes in all (it grows past them when needed). */
  constructor(keys = 64, bytes = 1024) {
    this.arena = new Uint8Array(Math.max(bytes, 16));
    this.ends = new Int32Array(Math.max(keys, 16));
    this.hashes = new Int32Array(this.ends.length);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(this.ends.length * 2)));
  }

  get size(): number {
    return this.count;
  }

  /** Adds the key held in `src[from, to)`; false when the set already has it. */
  addBytes(src: Uint8Array, from: number, to: number): boolean {
    const h = hashBytes(src, from, to);
    const slot = this.find(h, src, from, to);
    if (this.slots[slot] !== 0) return false;
    this.insert(slot, h, src, from, to);
    return true;
  }

  /** Adds a key given as a string (keys read back from data files); false when the set already has it. */
  addString(key: string): boolean {
    const bytes = Buffer.from(key, 'utf8');
    return this.addBytes(bytes, 0, bytes.length);
  }

  /** Whether the set holds a key given as a string. */
  hasString(key: string): boolean {
    const bytes = Buffer.from(key, 'utf8');
    return this.slots[this.find(hashBytes(bytes, 0, bytes.length), bytes, 0, bytes.length)] !== 0;
  }

  /** Whether this set has entry `e` of `other` (its hash is reused). */
  hasEntryOf(other: KeySet, e: number): boolean {
    return this.slots[this.find(other.hashes[e]!, other.arena, other.startOf(e), other.ends[e]!)] !== 0;
  }

  /** Adds every key of `other`. */
  addAll(other: KeySet): void {
    for (let e = 0; e < other.count; e++) {
      const h = other.hashes[e]!;
      const from = other.startOf(e);
      const to = other.ends[e]!;
      const slot = this.find(h, other.arena, from, to);
      if (this.slots[slot] === 0) this.insert(slot, h, other.arena, from, to);
    }
  }

  /** The slot holding the key, or the empty slot where it would go. */
  private find(h: number, src: Uint8Array, from: number, to: number): number {
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return slot;
      if (this.hashes[entry] === h && this.equals(entry, src, from, to)) return slot;
    }
  }

  /** Where entry `e`'s bytes start in the arena: where the one before ends (0 for the first). */
  private startOf(e: number): number {
    return this.ends[e - 1] ?? 0;
  }

  private equals(entry: number, src: Uint8Array, from: number, to: number): boolean {
    const start = this.startOf(entry);
    if (this.ends[entry]! - start !== to - from) return false;
    for (let k = 0; k < to - from; k++) if (this.arena[start + k] !== src[from + k]) return false;
    return true;
  }

  private insert(slot: number, h: number, src: Uint8Array, from: number, to: number): void {
    const e = this.count;
    const start = this.startOf(e);
    const end = start + (to - from);
    if (end > this.arena.length) this.arena = grown(this.arena, end);
    if (e === this.ends.length) {
      this.ends = grown(this.ends, e + 1);
      this.hashes = grown(this.hashes, e + 1);
    }
    for (let k = 0; k < to - from; k++) this.arena[start + k] = src[from + k]!; // keys are short: no subarray
    this.ends[e] = end;
    this.hashes[e] = h;
    this.slots[slot] = e + 1;
    this.count = e + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  /** Doubles the table, placing entries by their stored hashes (no key bytes read). */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      let slot = this.hashes[e]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a over the bytes, then a final mix so that the low bits (the slot) depend on every byte. */
export function hashBytes(src: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = from; k < to; k++) h = Math.imul(h ^ src[k]!, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

function grown<T extends Uint8Array | Int32Array>(array: T, need: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(array.length * 2, need));
  bigger.set(array);
  return bigger;
}
