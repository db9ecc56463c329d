import type { Logger } from './logger';

/**
 * Runs `refresh` now and then every `intervalMs` (the timer does not keep the process alive). A failure is logged
 * as a warning once per distinct message, so an outage does not flood the log. Returns the function that stops it.
 */
export function refreshEvery(
  intervalMs: number,
  refresh: () => Promise<unknown>,
  log: Logger,
  failureMessage: string,
): () => void {
  let lastError: string | undefined;
  const tick = () =>
    refresh().then(
      () => (lastError = undefined),
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        if (message !== lastError) log.warn(failureMessage, { error: message });
        lastError = message;
      },
    );
  void tick();
  const timer = setInterval(() => void tick(), intervalMs); // tick never rejects: failures are logged
  timer.unref();
  return () => clearInterval(timer);
}
