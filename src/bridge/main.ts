// Entry point of the bridge process: wires config and logging, runs until SIGINT/SIGTERM.
import { processMain } from '../observability/process-main';
import { runBridge } from './run-bridge';

export async function main(): Promise<void> {
  await processMain('bridge', async (config, log) => {
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
    await runBridge(config, log, stop.signal);
  });
}
