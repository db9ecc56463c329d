import type { Readable } from 'node:stream';
import type { CircuitBreaker } from '../../resilience/circuit-breaker';
import { listTreeOf, type ObjectStore, type StoredObject } from './object-store';

/**
 * Puts the object store behind a circuit breaker: while OneLake (or the lakehouse folder) keeps failing, calls
 * fail at once with CircuitOpenError (retryable) instead of each waiting for its own timeout.
 */
export class GuardedStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly inner: ObjectStore,
    private readonly breaker: CircuitBreaker,
  ) {
    this.location = inner.location;
  }

  get(path: string): Promise<Buffer | undefined> {
    return this.breaker.run(() => this.inner.get(path));
  }

  put(path: string, data: Uint8Array | Readable): Promise<number> {
    return this.breaker.run(() => this.inner.put(path, data));
  }

  putIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    return this.breaker.run(() => this.inner.putIfAbsent(path, data));
  }

  list(dir: string): Promise<string[]> {
    return this.breaker.run(() => this.inner.list(dir));
  }

  delete(path: string): Promise<void> {
    return this.breaker.run(() => this.inner.delete(path));
  }

  listTree(dir: string): Promise<StoredObject[]> {
    return this.breaker.run(() => listTreeOf(this.inner, dir));
  }
}
