import type { Readable } from 'node:stream';
import { listTreeOf, type ObjectStore, type StoredObject } from './object-store';

/** Where each store call is reported (the worker's onelake_* metrics). */
export interface StoreOperationSink {
  storeOperation(operation: string, seconds: number, bytes: number, error?: unknown): void;
}

/** Wraps any ObjectStore with the onelake_* metrics (operation: upload, upload_if_absent, download, list, delete). */
export class InstrumentedStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly inner: ObjectStore,
    private readonly metrics: StoreOperationSink,
  ) {
    this.location = inner.location;
  }

  private async measure<T>(operation: string, bytes: (result: T) => number, run: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      const result = await run();
      this.metrics.storeOperation(operation, (performance.now() - t0) / 1000, bytes(result));
      return result;
    } catch (err) {
      this.metrics.storeOperation(operation, (performance.now() - t0) / 1000, 0, err);
      throw err;
    }
  }

  get(path: string): Promise<Buffer | undefined> {
    return this.measure(
      'download',
      (b) => b?.length ?? 0,
      () => this.inner.get(path),
    );
  }

  put(path: string, data: Uint8Array | Readable): Promise<number> {
    return this.measure(
      'upload',
      (n) => n,
      () => this.inner.put(path, data),
    );
  }

  putIfAbsent(path: string, data: Uint8Array): Promise<boolean> {
    return this.measure(
      'upload_if_absent',
      (ok) => (ok ? data.byteLength : 0),
      () => this.inner.putIfAbsent(path, data),
    );
  }

  list(dir: string): Promise<string[]> {
    return this.measure(
      'list',
      () => 0,
      () => this.inner.list(dir),
    );
  }

  delete(path: string): Promise<void> {
    return this.measure(
      'delete',
      () => 0,
      () => this.inner.delete(path),
    );
  }

  listTree(dir: string): Promise<StoredObject[]> {
    return this.measure(
      'list',
      () => 0,
      () => listTreeOf(this.inner, dir),
    );
  }
}
