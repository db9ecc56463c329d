import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createRegistry } from '../../../src/observability/registry';
import { parquetMemory } from '../../../src/worker/run-worker';
import { until } from '../../support/poll';

/** A full (mark-compact) collection on demand, without starting node with --expose-gc. */
function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** `pipeline_memory_bytes{area}` (issue 31 item 5b): which part of a process's memory grows over a long run. */
describe('memory metrics: pipeline_memory_bytes by area', () => {
  const areas = async (registry: ReturnType<typeof createRegistry>) => {
    const text = await registry.metrics();
    const found: Record<string, number> = {};
    for (const m of text.matchAll(/^pipeline_memory_bytes\{area="([a-z_]+)",service="\w+"\} (\S+)$/gm))
      found[m[1]!] = Number(m[2]);
    return found;
  };

  it("serves the main thread's heap and off-heap memory, read when scraped", async () => {
    const registry = createRegistry('bridge');
    const before = await areas(registry);
    // heap_live is there once the process has had a full collection (below).
    const main = Object.keys(before).filter((k) => k !== 'heap_live');
    assert.deepEqual(main.sort(), ['array_buffers', 'external', 'heap_total', 'heap_used']);
    for (const [area, bytes] of Object.entries(before)) assert.ok(bytes > 0, area);
    const held = new Uint8Array(before.array_buffers! + 32 * 2 ** 20).fill(1);
    const after = await areas(registry);
    assert.ok(after.array_buffers! >= held.byteLength, `not read at scrape time: ${after.array_buffers}`);
  });

  it('heap_live: the heap in use after the last full collection, rising and falling with what stays reachable', async () => {
    const registry = createRegistry('bridge');
    const liveAfterGc = async (): Promise<number> => {
      const before = (await areas(registry)).heap_live;
      fullGc();
      // The collection is reported a moment later, on the event loop.
      let now: number | undefined;
      await until(
        'heap_live after a full collection',
        async () => {
          now = (await areas(registry)).heap_live;
          return now !== undefined && now !== before;
        },
        undefined,
        10_000,
      );
      return now!;
    };
    const base = await liveAfterGc();
    let kept: string[] | undefined = Array.from({ length: 200_000 }, (_, i) => `kept-${i}-${'x'.repeat(40)}`);
    const withKept = await liveAfterGc();
    assert.ok(withKept - base > 10 * 2 ** 20, `reachable strings counted: ${base} -> ${withKept}`);
    kept = undefined;
    const released = await liveAfterGc();
    assert.ok(withKept - released > 10 * 2 ** 20, `released strings no longer counted: ${withKept} -> ${released}`);
    assert.equal(kept, undefined);
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
