/**
 * Entry of the Parquet thread (started by parquet-thread.ts): turns one column's buffers into its Parquet column
 * chunk (parquet-pages.ts), so pages are compressed on another core while the writer's thread encodes the next
 * column; and reads Parquet files and writes checkpoints with parquet-wasm (parquet.ts), whose WebAssembly memory
 * grows to the largest file it handled and never shrinks: it lives here so that ending the thread frees it.
 */
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { ColumnBuffers, ColumnChunk } from './parquet-format';
import { encodeColumnChunk } from './parquet-pages';
import type * as ParquetWasmModule from './parquet';

export type ParquetRequest = { readonly id: number } & (
  | { readonly column: ColumnBuffers }
  /** A Parquet file (optionally only some columns) → its Arrow IPC stream. */
  | { readonly read: Uint8Array; readonly columns?: string[] }
  /** An Arrow IPC stream → a checkpoint's Parquet bytes. */
  | { readonly write: Uint8Array }
);

/** The thread's own memory in bytes, sent with every reply: what the process's metrics show of it. */
export interface ThreadMemory {
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Memory outside the heap held by its objects (array buffers and the WebAssembly memory among them). */
  readonly external: number;
  /** parquet-wasm's WebAssembly memory (0 until the thread first reads or writes with it). */
  readonly wasm: number;
}

export type ParquetReply = { readonly id: number; readonly memory: ThreadMemory } & (
  | { readonly chunk: ColumnChunk }
  | { readonly bytes: Uint8Array }
  | { readonly error: string }
);

type ParquetWasm = typeof ParquetWasmModule;
let parquet: ParquetWasm | undefined;
/** parquet-wasm is loaded on first use: a thread that only encodes data files does without its memory. */
function wasm(): ParquetWasm {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on purpose
  return (parquet ??= require('./parquet') as ParquetWasm);
}

function memory(): ThreadMemory {
  const h = v8.getHeapStatistics();
  return {
    heapUsed: h.used_heap_size,
    heapTotal: h.total_heap_size,
    external: h.external_memory,
    wasm: parquet?.parquetWasmBytes() ?? 0,
  };
}

function handle(req: ParquetRequest): { chunk: ColumnChunk } | { bytes: Uint8Array } {
  if ('column' in req) return { chunk: encodeColumnChunk(req.column) };
  if ('read' in req) return { bytes: wasm().ipcOfParquet(req.read, req.columns) };
  return { bytes: wasm().parquetOfIpc(req.write) };
}

parentPort?.on('message', (req: ParquetRequest) => {
  try {
    const out = handle(req);
    const bytes = 'chunk' in out ? out.chunk.bytes : out.bytes;
    parentPort!.postMessage({ id: req.id, ...out, memory: memory() } satisfies ParquetReply, [
      bytes.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    parentPort!.postMessage({ id: req.id, error, memory: memory() } satisfies ParquetReply);
  }
});
