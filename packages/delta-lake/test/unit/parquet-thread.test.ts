import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { readParquet } from '../../src/parquet';
import { assembleDataFile } from '../../src/parquet-file';
import { encodeChunk, ParquetThread, parquetThreadMemory, stopParquetThread } from '../../src/parquet-thread';

describe('Parquet thread', () => {
  /** One column through the thread, made a file and read back. */
  const roundTrip = async (col: ReturnType<typeof column>) => [
    ...readParquet(assembleDataFile([await encodeChunk(col)], col.length)).getChild('n')!,
  ];

  const column = (values: number[]) => ({
    name: 'n',
    type: 'integer' as const,
    length: values.length,
    nullCount: 0,
    data: Int32Array.from(values),
  });

  it('encodes a column into a Parquet column chunk that reads back, and takes its buffers (moved, not copied)', async () => {
    const col = column([3, 1, 2]);
    const chunk = encodeChunk(col);
    assert.equal(col.data.byteLength, 0, 'the buffer now belongs to the Parquet thread');
    assert.deepEqual([...readParquet(assembleDataFile([await chunk], 3)).getChild('n')!], [3, 1, 2]);
  });

  it('rejects columns it cannot encode with the encoder error, and keeps serving later requests', async () => {
    const broken = { ...column([1, 2, 3]), length: 1000 }; // claims more values than its buffer holds
    await assert.rejects(encodeChunk(broken), /Parquet encoding failed: .*column n \(integer, 1000 values\)/);
    assert.deepEqual(await roundTrip(column([7])), [7]);
  });

  it("reports its heap with each reply (the worker's memory metrics); none while no thread runs", async () => {
    await stopParquetThread(); // a thread of its own: earlier tests may have read files on the shared one
    assert.deepEqual(await roundTrip(column([4])), [4]);
    const m = parquetThreadMemory();
    assert.ok(m && m.heapUsed > 0 && m.heapTotal >= m.heapUsed && m.external > 0, JSON.stringify(m));
    assert.equal(m.wasm, 0, 'parquet-wasm is loaded only by a thread that reads or writes with it');
    await stopParquetThread();
    assert.equal(parquetThreadMemory(), undefined);
  });

  it('reads files on the thread; past its WebAssembly memory bound a thread is replaced, freeing that memory', async () => {
    const MB = 2 ** 20;
    const bound = 16 * MB;
    const n = 4_000_000; // 16 MB of integers: reading the file takes more than the bound of WebAssembly memory
    const bigFile = async (t: ParquetThread) =>
      assembleDataFile([await t.encode(column(Array.from({ length: n }, (_, i) => i)))], n);
    const small = assembleDataFile([await encodeChunk(column([1, 2]))], 2);
    const wasmAfterBigThenSmall = async (t: ParquetThread) => {
      const file = await bigFile(t);
      // Requests in flight when the thread is retired are still answered, by the thread that holds them.
      const [big, ...rest] = await Promise.all([t.read(file), t.read(small), t.read(small, ['n'])]);
      assert.equal(big.numRows, n);
      assert.equal(big.getChild('n')!.get(n - 1), n - 1);
      for (const r of rest) assert.deepEqual([...r.getChild('n')!], [1, 2]);
      assert.deepEqual([...(await t.read(small)).getChild('n')!], [1, 2]);
      const wasm = t.memory()!.wasm;
      await t.stop();
      return wasm;
    };
    const unbounded = await wasmAfterBigThenSmall(new ParquetThread(Infinity));
    assert.ok(unbounded > bound, `the big read needs more than the bound: ${unbounded / MB} MB`);
    const bounded = await wasmAfterBigThenSmall(new ParquetThread(bound));
    assert.ok(bounded > 0 && bounded < bound, `a fresh thread after the big read: ${bounded / MB} MB`);
  });

  it('starts a new thread after the old one stopped; the old one ending fails only its own requests', async () => {
    assert.deepEqual(await roundTrip(column([1])), [1]);
    const stopping = stopParquetThread(); // its exit event arrives while the next request waits for a new thread
    const next = roundTrip(column([5, 6]));
    await stopping;
    assert.deepEqual(await next, [5, 6]);
  });

  for (const [what, use] of [
    ['started and never used', "console.log('done')"],
    [
      'after a request',
      "encodeChunk({ name: 'n', type: 'integer', length: 1, nullCount: 0, data: Int32Array.of(1) }).then(() => console.log('done'))",
    ],
  ]) {
    it(`does not keep a process alive: ${what}`, async () => {
      // `kafka-pipeline delta compact --dry-run` hung like this: the thread must be unref'd after its listeners.
      const script = `const { encodeChunk, startParquetThread } = require('./src/parquet-thread');\nstartParquetThread();\n${use};`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        cwd: path.join(__dirname, '..', '..'),
        timeout: 30_000, // killed (and so rejected) if it does not exit on its own
      });
      assert.equal(stdout.trim(), 'done');
    });
  }
});
