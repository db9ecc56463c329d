/**
 * Which row keys each partition of a table already holds, so a retried or replayed append never commits a key
 * twice. Partitions are loaded lazily from the key column of their data files and kept up to date from the
 * commits the writer reads or makes. At most `maxPartitions` partitions are held (least recently used evicted);
 * memory is about 100 bytes per key held.
 */
export class KeyIndex {
  private readonly partitions = new Map<string, { keys: Set<string>; readonly files: Set<string> }>();

  constructor(private readonly maxPartitions = 16) {}

  has(partition: string): boolean {
    return this.partitions.has(partition);
  }

  /** The keys of a loaded partition (marks it recently used), or undefined when it is not loaded. */
  keys(partition: string): ReadonlySet<string> | undefined {
    const entry = this.partitions.get(partition);
    if (!entry) return undefined;
    this.partitions.delete(partition);
    this.partitions.set(partition, entry);
    return entry.keys;
  }

  load(partition: string, files: Iterable<string>, keys: Iterable<string>): void {
    this.partitions.set(partition, { keys: new Set(keys), files: new Set(files) });
    while (this.partitions.size > this.maxPartitions) {
      this.partitions.delete(this.partitions.keys().next().value as string);
    }
  }

  /** Whether a data file's keys are already counted in its (loaded) partition. */
  knowsFile(partition: string, file: string): boolean {
    return this.partitions.get(partition)?.files.has(file) ?? false;
  }

  /**
   * Counts a new data file's keys in its (loaded) partition. `keySet`, when given, is a set of exactly those keys
   * that the caller hands over: an empty partition takes it as its key set instead of copying the keys one by one.
   */
  addFile(partition: string, file: string, keys: Iterable<string>, keySet?: Set<string>): void {
    const entry = this.partitions.get(partition);
    if (!entry) return;
    entry.files.add(file);
    if (keySet && entry.keys.size === 0) entry.keys = keySet;
    else for (const k of keys) entry.keys.add(k);
  }

  /** The keys of a partition whose live data files are `files`, reading the key column of files not yet counted. */
  async ensure(
    partition: string,
    files: readonly string[],
    readKeys: (file: string) => Promise<string[]>,
  ): Promise<ReadonlySet<string>> {
    if (!this.has(partition)) {
      const keys: string[] = [];
      for (const f of files) keys.push(...(await readKeys(f)));
      this.load(partition, files, keys);
    } else {
      for (const f of files) if (!this.knowsFile(partition, f)) this.addFile(partition, f, await readKeys(f));
    }
    return this.keys(partition)!;
  }

  /** A data change removed rows from the partition: forget it, it is reloaded from its files when needed. */
  invalidate(partition: string): void {
    this.partitions.delete(partition);
  }
}
