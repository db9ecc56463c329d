import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ColumnBuffers, ColumnChunk } from './parquet-format';
import type { ParquetReply, ParquetRequest, ThreadMemory } from './parquet-worker';

/**
 * One worker thread per process that turns columns into Parquet column chunks (parquet-worker.ts). A column's
 * buffers are moved to it, not copied, and the chunk's bytes come back the same way. An append sends each column
 * as soon as it is encoded, so pages are compressed while the next column is encoded and a file is ready about
 * when its last column is.
 *
 * The thread starts on first use and keeps the process alive only while it holds requests. If it dies, the requests it held fail
 * (the append fails as a whole and is retried like any failed write) and the next request starts a new thread.
 */
interface Waiter {
  resolve(chunk: ColumnChunk): void;
  reject(err: Error): void;
}

/** A started thread and the requests it holds (per thread: a dead thread's late events touch only its own). */
interface Running {
  readonly worker: Worker;
  readonly pending: Map<number, Waiter>;
  /** As the thread reported it with its last reply. */
  memory?: ThreadMemory;
}

class ParquetThread {
  private running: Running | undefined;
  private nextId = 1;

  encode(column: ColumnBuffers): Promise<ColumnChunk> {
    const { worker, pending } = this.start();
    const id = this.nextId++;
    const transfer = new Set<ArrayBuffer>();
    const { nullBitmap, valueOffsets, data, dictionary } = column;
    for (const b of [nullBitmap, valueOffsets, data, dictionary?.valueOffsets, dictionary?.data]) {
      if (b) transfer.add(b.buffer as ArrayBuffer);
    }
    return new Promise<ColumnChunk>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref(); // a request in flight keeps the process alive
      worker.postMessage({ id, column } satisfies ParquetRequest, [...transfer]);
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
      const waiter = run.pending.get(reply.id);
      run.pending.delete(reply.id);
      if (run.pending.size === 0) worker.unref();
      if ('chunk' in reply) waiter?.resolve(reply.chunk);
      else waiter?.reject(new Error(`Parquet encoding failed: ${reply.error}`));
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

  /** The running thread's heap as of its last reply (undefined: no thread, or it has not replied yet). */
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

const thread = new ParquetThread();

/** Encodes a column as a Parquet column chunk on the Parquet thread. Its buffers are moved there: do not reuse them. */
export function encodeChunk(column: ColumnBuffers): Promise<ColumnChunk> {
  return thread.encode(column);
}

/** Starts the Parquet thread ahead of the first file (a table being opened will write soon). */
export function startParquetThread(): void {
  thread.start();
}

/** The Parquet thread's heap as of its last reply, for the process's memory metrics. */
export function parquetThreadMemory(): ThreadMemory | undefined {
  return thread.memory();
}

/** Stops the Parquet thread (requests it holds fail); the next request starts a new one. */
export function stopParquetThread(): Promise<void> {
  return thread.stop();
}
