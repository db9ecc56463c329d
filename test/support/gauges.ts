import type { Registry } from 'prom-client';

/** A gauge's current values by its `domain` label (e.g. pipeline_dlq_unarchived → { xact: 0, claimx: 0 }). */
export async function gaugeByDomain(registry: Registry, name: string): Promise<Record<string, number>> {
  const values = (await registry.getSingleMetric(name)!.get()).values as {
    value: number;
    labels: { domain: string };
  }[];
  return Object.fromEntries(values.map((v) => [v.labels.domain, v.value]));
}
