/**
 * Entry of the Parquet thread (started by parquet-thread.ts): turns column buffers into Parquet file bytes, so the
 * WebAssembly encoder runs on another core while the writer's thread encodes the next file's columns.
 */
import { parentPort } from 'node:worker_threads';
import { type ColumnBuffers, writeParquet } from './parquet';

export interface ParquetRequest {
  readonly id: number;
  readonly columns: readonly ColumnBuffers[];
}

export type ParquetReply =
  | { readonly id: number; readonly bytes: Uint8Array }
  | { readonly id: number; readonly error: string };

parentPort?.on('message', ({ id, columns }: ParquetRequest) => {
  try {
    const bytes = writeParquet(columns);
    parentPort!.postMessage({ id, bytes } satisfies ParquetReply, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    parentPort!.postMessage({ id, error } satisfies ParquetReply);
  }
});
