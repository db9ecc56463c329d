import { cliConfig } from '../common/cli-config';
import { PORT_AFTER_BRIDGE } from '../common/local-ports';
import { statusProblems, statusText } from './status-format';
import { collectStatus } from './status-tools';

export interface StatusFlags {
  json?: boolean;
  /** Seconds between reads; undefined = read once. */
  watch?: string | boolean;
  bridge?: string;
  worker?: string;
  dlqMonitor?: string;
}

/**
 * `kafka-pipeline status`: one screen of health, once (exit 0 healthy, 1 a problem) or every few seconds with
 * --watch until Ctrl-C (exit code of the last read).
 */
export async function statusCommand(flags: StatusFlags): Promise<number> {
  const config = cliConfig();
  const seconds =
    flags.watch === undefined || flags.watch === false ? 0 : flags.watch === true ? 5 : Number(flags.watch);
  if (!Number.isFinite(seconds) || seconds < 0 || (flags.watch !== undefined && seconds === 0)) {
    console.error(`status: --watch ${String(flags.watch)}: expected a number of seconds above 0`);
    return 2;
  }
  // Locally (npm start) the worker serves its metrics on the port after the bridge's, the DLQ monitor three after.
  const urls = {
    bridge: flags.bridge ?? `http://127.0.0.1:${config.metricsPort}`,
    worker: flags.worker ?? `http://127.0.0.1:${config.metricsPort + PORT_AFTER_BRIDGE.worker}`,
    dlqMonitor: flags.dlqMonitor ?? `http://127.0.0.1:${config.metricsPort + PORT_AFTER_BRIDGE.dlqMonitor}`,
  };
  const once = async (): Promise<number> => {
    const status = await collectStatus(config, urls);
    const problems = statusProblems(status);
    if (flags.json) console.log(JSON.stringify({ ...status, problems, healthy: problems.length === 0 }, null, 2));
    else {
      // On a terminal each read replaces the last one; piped, reads follow each other.
      if (seconds > 0 && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      console.log(statusText(status, problems));
    }
    return problems.length === 0 ? 0 : 1;
  };
  if (seconds === 0) return once();
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let code = 0;
  try {
    while (!stop.signal.aborted) {
      code = await once();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, seconds * 1000);
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return code;
}
