import { temporalCeilings, type TemporalCeilings } from './temporal-ceilings';
import type { Figure } from './figures';
import { devServerSettings, startServer } from './temporal-server';
import { devTarget } from './target';

/**
 * The server settings of tools/temporal-dev-server.conf against the dev server's defaults, same run: two fresh
 * servers one after the other (never at once: they would share the 2 cores), the same ceilings asked of each.
 */
export async function serverSettingsBench(completions: number): Promise<Figure[]> {
  const measure = async (settings: readonly string[]): Promise<TemporalCeilings> => {
    const server = await startServer(settings);
    try {
      return await temporalCeilings(200, completions, 64, devTarget(server));
    } finally {
      await server.stop();
    }
  };
  const defaults = await measure([]);
  const tuned = await measure(devServerSettings());
  const row = (name: string, pick: (c: TemporalCeilings) => number): Figure => ({
    section: 'server settings',
    name: `${name}: with tools/temporal-dev-server.conf vs dev-server defaults`,
    value: pick(tuned),
    unit: 'wf/s',
    baseline: { name: 'defaults wf/s', value: pick(defaults) },
    ratio: pick(tuned) / pick(defaults),
    note: `fresh server each, ${completions} workflows`,
  });
  return [
    row('empty workflow', (c) => c.emptyPerS),
    row('pipeline shape, no-op steps', (c) => c.shapePerS),
    row('4 regular activities', (c) => c.legacyShapePerS),
  ];
}
