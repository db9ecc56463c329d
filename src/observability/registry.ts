import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per process, every series labelled `service` (bridge or worker; `component` is the label the
 * breaker and connection metrics use), with Node's default metrics.
 */
export function createRegistry(service: 'worker' | 'bridge'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
