import type { DeltaStore } from '../../src/store';

/** A DeltaStore that counts the calls made through it (e.g. that a load lists nothing). */
export class CountingStore implements DeltaStore {
  readonly calls = { get: 0, put: 0, putIfAbsent: 0, list: 0, delete: 0 };

  constructor(private readonly inner: DeltaStore) {}

  reset(): void {
    for (const k of Object.keys(this.calls) as (keyof CountingStore['calls'])[]) this.calls[k] = 0;
  }

  get(p: string): Promise<Buffer | undefined> {
    this.calls.get++;
    return this.inner.get(p);
  }
  put(p: string, data: Uint8Array): Promise<number> {
    this.calls.put++;
    return this.inner.put(p, data);
  }
  putIfAbsent(p: string, data: Uint8Array): Promise<boolean> {
    this.calls.putIfAbsent++;
    return this.inner.putIfAbsent(p, data);
  }
  list(dir: string): Promise<string[]> {
    this.calls.list++;
    return this.inner.list(dir);
  }
  delete(p: string): Promise<void> {
    this.calls.delete++;
    return this.inner.delete(p);
  }
}

/** Counts the most `get` calls in flight at once (reads issued together rather than one after another). */
export class ConcurrencyStore extends CountingStore {
  inFlight = 0;
  maxInFlight = 0;

  override async get(p: string): Promise<Buffer | undefined> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await super.get(p);
    } finally {
      this.inFlight--;
    }
  }
}
