import { waitAtMost } from '../shared/bounded';
import type { Logger } from './logger';

/** How long stopping waits for a refresh in flight to end (a client mid-retry during an outage may take longer). */
const STOP_WAIT_MS = 5_000;

/**
 * Runs `refresh` now and then every `intervalMs` (the timer does not keep the process alive); a tick is skipped
 * while the previous refresh is still running. A failure is logged as a warning once per distinct message, so an
 * outage does not flood the log. Returns the function that stops it: no tick starts after it is called, and it
 * resolves once the refresh in flight has ended (at most `STOP_WAIT_MS` later), so a caller can close the clients
 * the refresh uses without a late refresh reopening them.
 */
export function refreshEvery(
  intervalMs: number,
  refresh: () => Promise<unknown>,
  log: Logger,
  failureMessage: string,
): () => Promise<void> {
  let lastError: string | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || inFlight) return;
    inFlight = refresh()
      .then(
        () => void (lastError = undefined),
        (err: unknown) => {
          if (stopped) return; // a refresh cut short by the stop is not news
          const message = err instanceof Error ? err.message : String(err);
          if (message !== lastError) log.warn(failureMessage, { error: message });
          lastError = message;
        },
      )
      .finally(() => (inFlight = undefined));
  };
  tick();
  const timer = setInterval(tick, intervalMs); // a tick never rejects: failures are logged
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    if (inFlight) await waitAtMost(inFlight, STOP_WAIT_MS);
  };
}
