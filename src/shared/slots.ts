/**
 * At most `size` callers at once (a counting semaphore). A slot given back goes to the caller that has waited longest
 * for one (first come, first served), so a caller that waits for one slot at a time gets one within a turn of the
 * others and none starves. Used for the bridge's starts in flight (BRIDGE_MAX_IN_FLIGHT, shared by the batches
 * handed over at once: a batch left alone uses every slot) and the ClaimX API's requests in flight.
 */
export class Slots {
  private taken = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`${size} slots: expected a whole number of at least 1`);
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

  /** Slots taken now. */
  inFlight(): number {
    return this.taken;
  }
}
