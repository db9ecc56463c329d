import type { Registry } from 'prom-client';
import { gauge } from './metric-catalogue';

/** Bytes by area; an area that is not there (e.g. a thread not started yet) is left out. */
export type MemoryAreas = () => Record<string, number | undefined>;

/** The main thread's share of the process's memory, as V8 and Node count it. */
export function mainThreadMemory(): Record<string, number> {
  const m = process.memoryUsage();
  return { heap_used: m.heapUsed, heap_total: m.heapTotal, external: m.external, array_buffers: m.arrayBuffers };
}

/**
 * `pipeline_memory_bytes{area}`, read when /metrics is scraped: the main thread's heap and off-heap memory, plus
 * the areas a process adds (the worker: its Parquet thread and WebAssembly memory). What RSS holds beyond their sum
 * is native memory (the Temporal core, other threads' isolates, the allocator's free lists).
 */
export function registerMemoryMetrics(registry: Registry, more?: MemoryAreas): void {
  gauge(registry, 'pipeline_memory_bytes', (g) => {
    g.reset();
    for (const [area, bytes] of Object.entries({ ...mainThreadMemory(), ...more?.() })) {
      if (bytes !== undefined) g.set({ area }, bytes);
    }
  });
}
