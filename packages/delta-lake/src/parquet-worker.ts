/**
 * Entry of the Parquet thread (started by parquet-thread.ts): turns one column's buffers into its Parquet column
 * chunk (parquet-pages.ts), so pages are compressed on another core while the writer's thread encodes the next
 * column.
 */
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { ColumnBuffers, ColumnChunk } from './parquet-format';
import { encodeColumnChunk } from './parquet-pages';

export interface ParquetRequest {
  readonly id: number;
  readonly column: ColumnBuffers;
}

/** The thread's own heap (its isolate) in bytes, sent with every reply: what the process's metrics show of it. */
export interface ThreadMemory {
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Memory outside the heap held by its objects (array buffers among them). */
  readonly external: number;
}

export type ParquetReply = { readonly memory: ThreadMemory } & (
  | { readonly id: number; readonly chunk: ColumnChunk }
  | { readonly id: number; readonly error: string }
);

function memory(): ThreadMemory {
  const h = v8.getHeapStatistics();
  return { heapUsed: h.used_heap_size, heapTotal: h.total_heap_size, external: h.external_memory };
}

parentPort?.on('message', ({ id, column }: ParquetRequest) => {
  try {
    const chunk = encodeColumnChunk(column);
    parentPort!.postMessage({ id, chunk, memory: memory() } satisfies ParquetReply, [
      chunk.bytes.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    parentPort!.postMessage({ id, error, memory: memory() } satisfies ParquetReply);
  }
});
