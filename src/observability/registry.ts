import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process, labelled with the process role, with Node's default metrics. */
export function createRegistry(component: 'worker' | 'bridge'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  return registry;
}
