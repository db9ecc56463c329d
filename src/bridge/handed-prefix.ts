/**
 * The handed-over prefix of one partition's batch. Messages are handed to Temporal out of order within the window,
 * but the partition only moves on when its prefix grows: only then is an offset resolved, and only then has the
 * partition succeeded. A later message handed over while an earlier one keeps failing (on a retry it is usually a
 * duplicate, started by the try before) is no progress: counting it as one kept a partition that failed on one
 * offset for ever from being reported stuck.
 */
export class HandedPrefix {
  private readonly handed: boolean[];
  private end = 0;

  constructor(count: number) {
    this.handed = new Array<boolean>(count).fill(false);
  }

  /** Marks message `i` handed over; the index of the prefix's new last message, or -1 when the prefix did not grow. */
  handedOver(i: number): number {
    this.handed[i] = true;
    const before = this.end;
    while (this.end < this.handed.length && this.handed[this.end]) this.end++;
    return this.end > before ? this.end - 1 : -1;
  }
}
