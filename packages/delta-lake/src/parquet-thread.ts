import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as arrow from 'apache-arrow';
import type { ColumnBuffers, ColumnChunk } from './parquet-format';
import type { ParquetReply, ParquetRequest, ThreadMemory } from './parquet-worker';

/**
 * One worker thread per process for Parquet (parquet-worker.ts): it turns columns into Parquet column chunks, reads
 * Parquet files and writes checkpoints. A column's buffers are moved to it, not copied, and the chunk's bytes come
 * back the same way. An append sends each column as soon as it is encoded, so pages are compressed while the next
 * column is encoded and a file is ready about when its last column is.
 *
 * Reads and checkpoints use parquet-wasm, whose WebAssembly memory grows to the largest file it ever handled and
 * never shrinks (a compaction reads up to its target file size at once, a checkpoint grows with the table). When the
 * thread reports more than `wasmBound` bytes of it, the thread is retired: later requests go to a new thread, and the
 * old one ends (freeing that memory) once it has answered what it holds.
 *
 * The thread starts on first use and keeps the process alive only while it holds requests. If it dies, the requests it held fail
 * (the append fails as a whole and is retried like any failed write) and the next request starts a new thread.
 */
interface Waiter {
  readonly what: 'encoding' | 'read' | 'write';
  resolve(reply: ParquetReply): void;
  reject(err: Error): void;
}

/** A started thread and the requests it holds (per thread: a dead thread's late events touch only its own). */
interface Running {
  readonly worker: Worker;
  readonly pending: Map<number, Waiter>;
  /** As the thread reported it with its last reply. */
  memory?: ThreadMemory;
  /** No new requests: it ends once `pending` is empty. */
  retired?: boolean;
}

/**
 * Default `wasmBound`. Reading a data file's key column or a checkpoint stays well below it; a compaction bin (up to
 * MAINTENANCE_TARGET_FILE_BYTES of Parquet, tens of times that decoded) may pass it, and the thread is replaced after it (a new thread and
 * parquet-wasm load in 0.2-0.6 s, once per compaction of large files).
 */
export const PARQUET_THREAD_WASM_BOUND = 32 * 2 ** 20;

/** Exported for tests (with a small bound); the writer uses the one per process below. */
export class ParquetThread {
  private running: Running | undefined;
  private nextId = 1;

  constructor(private readonly wasmBound = PARQUET_THREAD_WASM_BOUND) {}

  async encode(column: ColumnBuffers): Promise<ColumnChunk> {
    const transfer = new Set<ArrayBuffer>();
    const { nullBitmap, valueOffsets, data, dictionary } = column;
    for (const b of [nullBitmap, valueOffsets, data, dictionary?.valueOffsets, dictionary?.data]) {
      if (b) transfer.add(b.buffer as ArrayBuffer);
    }
    const reply = await this.request('encoding', { column }, [...transfer]);
    return (reply as { chunk: ColumnChunk }).chunk;
  }

  /** Reads a Parquet file (optionally only some columns); `bytes` are copied to the thread, not moved. */
  async read(bytes: Uint8Array, columns?: string[]): Promise<arrow.Table> {
    const reply = await this.request('read', { read: bytes, ...(columns ? { columns } : {}) }, []);
    return arrow.tableFromIPC((reply as { bytes: Uint8Array }).bytes);
  }

  /** A table (a checkpoint's actions) as snappy Parquet bytes. */
  async write(table: arrow.Table): Promise<Uint8Array> {
    const ipc = arrow.tableToIPC(table, 'stream');
    const reply = await this.request('write', { write: ipc }, [ipc.buffer as ArrayBuffer]);
    return (reply as { bytes: Uint8Array }).bytes;
  }

  private request(what: Waiter['what'], body: DistributiveOmit, transfer: ArrayBuffer[]): Promise<ParquetReply> {
    const { worker, pending } = this.start();
    const id = this.nextId++;
    return new Promise<ParquetReply>((resolve, reject) => {
      pending.set(id, { what, resolve, reject });
      if (pending.size === 1) worker.ref(); // a request in flight keeps the process alive
      worker.postMessage({ id, ...body } as ParquetRequest, transfer);
    });
  }

  start(): Running {
    if (this.running) return this.running;
    // Under tsx (tests, `npm start` from a checkout) the worker is the .ts source and needs tsx's loader too.
    const ext = path.extname(__filename);
    const worker = new Worker(path.join(__dirname, `parquet-worker${ext}`), {
      execArgv: ext === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [],
    });
    const run: Running = { worker, pending: new Map() };
    worker.on('message', (reply: ParquetReply) => {
      run.memory = reply.memory;
      if (reply.memory.wasm > this.wasmBound) this.retire(run);
      const waiter = run.pending.get(reply.id);
      run.pending.delete(reply.id);
      if (run.pending.size === 0) {
        worker.unref();
        if (run.retired) void worker.terminate(); // frees its WebAssembly memory; `exit` fails nothing, none pending
      }
      if ('error' in reply) waiter?.reject(new Error(`Parquet ${waiter.what} failed: ${reply.error}`));
      else waiter?.resolve(reply);
    });
    const fail = (err: Error) => {
      if (this.running === run) this.running = undefined;
      for (const waiter of run.pending.values()) waiter.reject(err);
      run.pending.clear();
    };
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => fail(new Error(`Parquet thread exited (code ${code})`)));
    worker.unref(); // after the listeners: adding a 'message' listener refs the worker again
    this.running = run;
    return run;
  }

  private retire(run: Running): void {
    run.retired = true;
    if (this.running === run) this.running = undefined;
  }

  /** The running thread's memory as of its last reply (undefined: no thread, or it has not replied yet). */
  memory(): ThreadMemory | undefined {
    return this.running?.memory;
  }

  /** Stops the thread; requests it holds fail, the next request starts a new one. */
  async stop(): Promise<void> {
    const run = this.running;
    this.running = undefined;
    await run?.worker.terminate();
  }
}

/** A request's body: the request without its id. */
type DistributiveOmit = ParquetRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

const thread = new ParquetThread();

/** Encodes a column as a Parquet column chunk on the Parquet thread. Its buffers are moved there: do not reuse them. */
export function encodeChunk(column: ColumnBuffers): Promise<ColumnChunk> {
  return thread.encode(column);
}

/** Reads a Parquet file (optionally only some columns) on the Parquet thread. */
export function readParquetFile(bytes: Uint8Array, columns?: string[]): Promise<arrow.Table> {
  return thread.read(bytes, columns);
}

/** Writes a table as snappy Parquet (a checkpoint) on the Parquet thread. */
export function writeParquetTable(table: arrow.Table): Promise<Uint8Array> {
  return thread.write(table);
}

/** Starts the Parquet thread ahead of the first file (a table being opened will write soon). */
export function startParquetThread(): void {
  thread.start();
}

/** The Parquet thread's memory as of its last reply, for the process's memory metrics. */
export function parquetThreadMemory(): ThreadMemory | undefined {
  return thread.memory();
}

/** Stops the Parquet thread (requests it holds fail); the next request starts a new one. */
export function stopParquetThread(): Promise<void> {
  return thread.stop();
}
