/**
 * Entry of the Parquet thread (started by parquet-thread.ts): turns one column's buffers into its Parquet column
 * chunk (parquet-pages.ts), so pages are compressed on another core while the writer's thread encodes the next
 * column.
 */
import { parentPort } from 'node:worker_threads';
import type { ColumnBuffers, ColumnChunk } from './parquet-format';
import { encodeColumnChunk } from './parquet-pages';

export interface ParquetRequest {
  readonly id: number;
  readonly column: ColumnBuffers;
}

export type ParquetReply =
  | { readonly id: number; readonly chunk: ColumnChunk }
  | { readonly id: number; readonly error: string };

parentPort?.on('message', ({ id, column }: ParquetRequest) => {
  try {
    const chunk = encodeColumnChunk(column);
    parentPort!.postMessage({ id, chunk } satisfies ParquetReply, [chunk.bytes.buffer as ArrayBuffer]);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    parentPort!.postMessage({ id, error } satisfies ParquetReply);
  }
});
