/** A delay that `wake()` ends early: a retry loop waits on it, and its stop() wakes it so the loop ends at once. */
export class WakeableDelay {
  private wakeUp?: () => void;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Ends the delay being waited on, if any. */
  wake(): void {
    this.wakeUp?.();
  }
}
