import * as arrow from 'apache-arrow';
import * as pq from 'parquet-wasm';

/**
 * Parquet through apache-arrow + parquet-wasm (arrow-rs, the Parquet code delta-rs uses): checkpoints, whose columns
 * nest, are written this way, and every Parquet file is read this way. Data files are written by parquet-file.ts.
 * The writer runs these on the Parquet thread (parquet-thread.ts: `readParquetFile`, `writeParquetTable`), whose
 * WebAssembly memory is freed with the thread; called directly (tests, tools) the memory stays with the caller.
 * Loading this module instantiates parquet-wasm (~13 MB resident): only parquet-worker.ts loads it, on first use.
 */

/** A checkpoint's Parquet bytes (snappy). */
export function encodeArrowTable(table: arrow.Table): Uint8Array {
  return parquetOfIpc(arrow.tableToIPC(table, 'stream'));
}

/** An Arrow IPC stream's table as a checkpoint's Parquet bytes (snappy). */
export function parquetOfIpc(ipc: Uint8Array): Uint8Array {
  const props = new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.SNAPPY)
    .setCreatedBy('kafka-pipeline version 0.1.0 (delta checkpoint)')
    .build();
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
}

/** A Parquet file (optionally only some columns) as an Arrow IPC stream (copied out of WebAssembly memory). */
export function ipcOfParquet(bytes: Uint8Array, columns?: string[]): Uint8Array {
  return pq.readParquet(bytes, columns ? { columns } : undefined).intoIPCStream();
}

/**
 * Bytes of parquet-wasm's WebAssembly memory (in this thread). It grows to the most a read or a checkpoint write ever
 * needed at once and never shrinks.
 */
export function parquetWasmBytes(): number {
  return pq.wasmMemory().buffer.byteLength;
}

/** Reads a Parquet file (optionally only some columns) into an Arrow table. */
export function readParquet(bytes: Uint8Array, columns?: string[]): arrow.Table {
  return arrow.tableFromIPC(ipcOfParquet(bytes, columns));
}
