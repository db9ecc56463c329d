// Entry point of the bridge process: wires config and logging, runs until SIGINT/SIGTERM.
import { loadConfig } from '../config/config';
import { createLogger } from '../observability/logger';
import { runBridge } from './run-bridge';

export async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('bridge', { level: config.logLevel });
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  await runBridge(config, log, stop.signal);
}
