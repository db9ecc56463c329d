import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { encodeParquet, stopParquetThread } from '../../src/adapters/delta/parquet-thread';
import { readParquet } from '../../src/adapters/delta/parquet';

describe('Parquet thread', () => {
  const column = (values: number[]) => ({
    name: 'n',
    type: 'integer' as const,
    length: values.length,
    nullCount: 0,
    data: Int32Array.from(values),
  });

  it('encodes column buffers into a Parquet file that reads back, and takes the buffers (moved, not copied)', async () => {
    const col = column([3, 1, 2]);
    const bytes = await encodeParquet([col]);
    assert.deepEqual([...readParquet(bytes).getChild('n')!], [3, 1, 2]);
    assert.equal(col.data.byteLength, 0, 'the buffer now belongs to the Parquet thread');
  });

  it('rejects columns it cannot encode with the encoder error, and keeps serving later requests', async () => {
    const broken = { ...column([1, 2, 3]), length: 1000 }; // claims more values than its buffer holds
    await assert.rejects(encodeParquet([broken]), /Parquet encoding failed/);
    const bytes = await encodeParquet([column([7])]);
    assert.deepEqual([...readParquet(bytes).getChild('n')!], [7]);
  });

  it('starts a new thread after the old one stopped; the old one ending fails only its own requests', async () => {
    assert.equal((await encodeParquet([column([1])])).length > 0, true);
    const stopping = stopParquetThread(); // its exit event arrives while the next request waits for a new thread
    const bytes = await encodeParquet([column([5, 6])]);
    await stopping;
    assert.deepEqual([...readParquet(bytes).getChild('n')!], [5, 6]);
  });

  for (const [what, use] of [
    ['started and never used', "console.log('done')"],
    [
      'after a request',
      "encodeParquet([{ name: 'n', type: 'integer', length: 1, nullCount: 0, data: Int32Array.of(1) }]).then(() => console.log('done'))",
    ],
  ]) {
    it(`does not keep a process alive: ${what}`, async () => {
      // `kafka-pipeline delta compact --dry-run` hung like this: the thread must be unref'd after its listeners.
      const script = `const { encodeParquet, startParquetThread } = require('./src/adapters/delta/parquet-thread');\nstartParquetThread();\n${use};`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        cwd: path.join(__dirname, '..', '..'),
        timeout: 30_000, // killed (and so rejected) if it does not exit on its own
      });
      assert.equal(stdout.trim(), 'done');
    });
  }
});
