import { KeySet } from './key-set';

/** A held partition: its keys, and the data files they were read from or added with. */
interface Held {
  keys: KeySet;
  readonly files: Set<string>;
}

/**
 * Which row keys each partition of a table already holds, so a retried or replayed append never commits a key
 * twice. Partitions are loaded lazily from the key column of their data files and kept up to date from the
 * commits the writer reads or makes. At most `maxPartitions` partitions are held (least recently used evicted);
 * memory is the keys' bytes plus 20-30 bytes per key held, up to twice that while growing (key-set.ts).
 */
export class KeyIndex {
  private readonly partitions = new Map<string, Held>();

  constructor(private readonly maxPartitions = 16) {}

  /** A partition's entry, made empty when not held, and marked most recently used (the least beyond the limit go). */
  private touch(partition: string): Held {
    const entry = this.partitions.get(partition) ?? { keys: new KeySet(), files: new Set<string>() };
    this.partitions.delete(partition);
    this.partitions.set(partition, entry);
    while (this.partitions.size > this.maxPartitions) {
      this.partitions.delete(this.partitions.keys().next().value as string);
    }
    return entry;
  }

  /**
   * Counts a new data file's keys in its (loaded) partition: `keys` holds them (and possibly keys the partition
   * already has). The caller hands the set over: an empty partition takes it as its key set instead of copying it.
   */
  addFile(partition: string, file: string, keys: KeySet): void {
    const entry = this.partitions.get(partition);
    if (!entry) return;
    entry.files.add(file);
    if (entry.keys.size === 0) entry.keys = keys;
    else entry.keys.addAll(keys);
  }

  /** Counts a data file whose keys the partition already holds (a rewrite: same rows, new file). */
  addRewrittenFile(partition: string, file: string): void {
    this.partitions.get(partition)?.files.add(file);
  }

  /**
   * The keys of a partition whose live data files are `files`, reading the key column of files not yet counted.
   * Files no longer live (compacted away) are forgotten: their keys are in the files that replaced them, and a
   * partition written all day would otherwise hold the name of every file it ever had.
   */
  async ensure(
    partition: string,
    files: readonly string[],
    readKeys: (file: string, into: KeySet) => Promise<void>,
  ): Promise<KeySet> {
    const entry = this.touch(partition);
    for (const f of files) {
      if (entry.files.has(f)) continue;
      await readKeys(f, entry.keys);
      entry.files.add(f); // only once all its keys are in: a failed read is read again next time
    }
    if (entry.files.size > files.length) {
      const live = new Set(files);
      for (const f of entry.files) if (!live.has(f)) entry.files.delete(f);
    }
    return entry.keys;
  }

  /** Data file names held in all (memory: they are forgotten once no longer live). */
  get heldFiles(): number {
    let n = 0;
    for (const p of this.partitions.values()) n += p.files.size;
    return n;
  }

  /** A data change removed rows from the partition: forget it, it is reloaded from its files when needed. */
  invalidate(partition: string): void {
    this.partitions.delete(partition);
  }
}
