import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerMemoryMetrics, type MemoryAreas } from './memory-metrics';

/**
 * One registry per process, every series labelled `service` (bridge, worker, dlq-monitor, or combined: `kafka-pipeline run`;
 * `component` is the label the breaker and connection metrics use), with Node's default metrics and its memory by
 * area (`memoryAreas`: the process's own areas beyond the main thread's).
 */
export function createRegistry(
  service: 'worker' | 'bridge' | 'dlq-monitor' | 'combined',
  memoryAreas?: MemoryAreas,
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  registerMemoryMetrics(registry, memoryAreas);
  return registry;
}
