import * as arrow from 'apache-arrow';
import * as pq from 'parquet-wasm';

/**
 * Parquet through apache-arrow + parquet-wasm (arrow-rs, the Parquet code delta-rs uses): checkpoints, whose columns
 * nest, are written this way, and every Parquet file is read this way. Data files are written by parquet-file.ts.
 */
export function buildVector(type: arrow.DataType, values: readonly unknown[]): arrow.Vector {
  const builder = arrow.makeBuilder({ type, nullValues: [null, undefined] });
  for (const v of values) builder.append(v as never);
  return builder.finish().toVector();
}

/** A checkpoint's Parquet bytes (snappy). */
export function encodeArrowTable(table: arrow.Table): Uint8Array {
  const props = new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.SNAPPY)
    .setCreatedBy('kafka-pipeline version 0.1.0 (delta checkpoint)')
    .build();
  return pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props);
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
  return arrow.tableFromIPC(pq.readParquet(bytes, columns ? { columns } : undefined).intoIPCStream());
}
