import assert from 'node:assert/strict';
import { createRegistry } from '../../src/observability/registry';
import { parquetMemory } from '../../src/worker/run-worker';

/** `pipeline_memory_bytes{area}` (issue 31 item 5b): which part of a process's memory grows over a long run. */
describe('memory metrics: pipeline_memory_bytes by area', () => {
  const areas = async (registry: ReturnType<typeof createRegistry>) => {
    const text = await registry.metrics();
    const found: Record<string, number> = {};
    for (const m of text.matchAll(/^pipeline_memory_bytes\{area="([a-z_]+)",service="\w+"\} (\S+)$/gm))
      found[m[1]] = Number(m[2]);
    return found;
  };

  it("serves the main thread's heap and off-heap memory, read when scraped", async () => {
    const registry = createRegistry('bridge');
    const before = await areas(registry);
    assert.deepEqual(Object.keys(before).sort(), ['array_buffers', 'external', 'heap_total', 'heap_used']);
    for (const [area, bytes] of Object.entries(before)) assert.ok(bytes > 0, area);
    const held = new Uint8Array(before.array_buffers + 32 * 2 ** 20).fill(1);
    const after = await areas(registry);
    assert.ok(after.array_buffers >= held.byteLength, `not read at scrape time: ${after.array_buffers}`);
  });

  it("adds the process's own areas and leaves out those it does not have (yet)", async () => {
    const registry = createRegistry('worker', () => ({ parquet_wasm: 7, parquet_thread_heap_used: undefined }));
    const found = await areas(registry);
    assert.equal(found.parquet_wasm, 7);
    assert.ok(!('parquet_thread_heap_used' in found));
  });

  it("the worker's areas: the Parquet thread's heap and WebAssembly memory once it replied, none before", () => {
    assert.deepEqual(parquetMemory({ heapUsed: 1, heapTotal: 2, external: 3, wasm: 4 }), {
      parquet_thread_heap_used: 1,
      parquet_thread_external: 3,
      parquet_wasm: 4,
    });
    assert.ok(Object.values(parquetMemory(undefined)).every((v) => v === undefined));
  });
});
