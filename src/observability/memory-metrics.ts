import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { Registry } from 'prom-client';
import { gauge } from './metric-catalogue';

/** Bytes by area; an area that is not there (e.g. a thread not started yet) is left out. */
export type MemoryAreas = () => Record<string, number | undefined>;

/** The main thread's share of the process's memory, as V8 and Node count it. */
export function mainThreadMemory(): Record<string, number> {
  const m = process.memoryUsage();
  return { heap_used: m.heapUsed, heap_total: m.heapTotal, external: m.external, array_buffers: m.arrayBuffers };
}

let liveHeap: number | undefined;
let gcObserver: PerformanceObserver | undefined;

/**
 * The main thread's heap in use just after its last full (mark-compact) collection, read when the collection is
 * reported (a moment later): what the heap's live objects take. `heap_used` also counts garbage not collected yet
 * and saws up and down with the load; a leak shows as this one rising. Undefined until the first full collection.
 * One observer per process, however many registries ask (tests make many).
 */
function liveHeapAfterFullGc(): () => number | undefined {
  if (!gcObserver) {
    gcObserver = new PerformanceObserver((list) => {
      const isFull = (e: PerformanceEntry) =>
        (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      if (list.getEntries().some(isFull)) liveHeap = v8.getHeapStatistics().used_heap_size;
    });
    gcObserver.observe({ entryTypes: ['gc'] });
  }
  return () => liveHeap;
}

/**
 * `pipeline_memory_bytes{area}`, read when /metrics is scraped: the main thread's heap and off-heap memory, plus
 * the areas a process adds (the worker: its Parquet thread and WebAssembly memory). What RSS holds beyond their sum
 * is native memory (the Temporal core, other threads' isolates, the allocator's free lists).
 */
export function registerMemoryMetrics(registry: Registry, more?: MemoryAreas): void {
  const heapLive = liveHeapAfterFullGc();
  gauge(registry, 'pipeline_memory_bytes', (g) => {
    g.reset();
    for (const [area, bytes] of Object.entries({ ...mainThreadMemory(), heap_live: heapLive(), ...more?.() })) {
      if (bytes !== undefined) g.set({ area }, bytes);
    }
  });
}
