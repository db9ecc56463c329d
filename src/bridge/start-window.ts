/**
 * The starts in flight of the whole bridge (BRIDGE_MAX_IN_FLIGHT), shared by the partitions' batches handed over at
 * once. A slot given back goes to the batch that has waited longest for one (first come, first served): each batch
 * waits for one slot at a time, so every waiting batch gets a slot within one turn of the others and none starves,
 * while a batch left alone (its fetch's others done, or a partition with more messages) uses every slot instead of
 * a fixed share. Never more than `size` slots are taken.
 */
export class StartWindow {
  private taken = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a start window of ${size} slots`);
  }

  /** Resolves once a slot is taken for the caller; give it back with `release`. */
  acquire(): Promise<void> {
    if (this.taken < this.size && this.waiting.length === 0) {
      this.taken++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back: to the longest waiting caller, if any (the slot stays taken), else it is free. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else if (this.taken > 0) this.taken--;
  }

  /** Slots taken now (starts in flight). */
  inFlight(): number {
    return this.taken;
  }
}
