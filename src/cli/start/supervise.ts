import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../../observability/logger';
import { PROJECT_ROOT } from '../common/stack';

const CLI = path.join(PROJECT_ROOT, 'bin', 'kafka-pipeline.js');

export interface ChildSpec {
  readonly cmd: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface SuperviseOptions {
  /** First restart delay; doubles per crash in the window, up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Give up when one process crashes this often within `windowMs`. */
  readonly maxCrashes?: number;
  readonly windowMs?: number;
  /** SIGTERM → SIGKILL grace period on stop. */
  readonly stopGraceMs?: number;
  /** How a child is started (tests start small scripts instead of the CLI). */
  readonly launch?: (spec: ChildSpec) => ChildProcess;
}

const DEFAULTS = { backoffMs: 1_000, maxBackoffMs: 30_000, maxCrashes: 5, windowMs: 120_000, stopGraceMs: 30_000 };

/** Starts `kafka-pipeline <cmd>` with this Node binary and the child's extra environment. */
function launchCli({ cmd, env }: ChildSpec): ChildProcess {
  return spawn(process.execPath, [CLI, cmd], { stdio: 'inherit', env: { ...process.env, ...env } });
}

/**
 * Runs the given CLI subcommands as child processes until `stop` aborts, like the deployment's restart policy: a
 * child that exits on its own is restarted after a backoff (1 s, doubling, at most 30 s) with a log line saying
 * so; when one crashes `maxCrashes` times within `windowMs` the supervisor gives up, stops the others and
 * resolves 1. On stop every child gets SIGTERM (it drains and exits by itself), then SIGKILL after the grace
 * period; resolves 0.
 */
export async function supervise(
  specs: readonly ChildSpec[],
  log: Logger,
  stop: AbortSignal,
  options: SuperviseOptions = {},
): Promise<number> {
  const o = { ...DEFAULTS, ...options };
  const launch = options.launch ?? launchCli;
  const stopping = new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    stop.addEventListener('abort', () => resolve(), { once: true });
  });
  const running = new Set<ChildProcess>();
  const giveUp = new AbortController();
  const gaveUp = new Promise<void>((resolve) =>
    giveUp.signal.addEventListener('abort', () => resolve(), { once: true }),
  );

  const keep = async (spec: ChildSpec): Promise<void> => {
    const crashes: number[] = [];
    while (!stop.aborted && !giveUp.signal.aborted) {
      const proc = launch(spec);
      running.add(proc);
      const code = await waitExit(proc);
      running.delete(proc);
      if (stop.aborted || giveUp.signal.aborted) return;
      const now = Date.now();
      crashes.push(now);
      crashes.splice(
        0,
        crashes.findIndex((t) => now - t <= o.windowMs),
      ); // the times ascend; `now` is within
      if (crashes.length >= o.maxCrashes) {
        log.error(
          `${spec.cmd} crashed ${crashes.length} times within ${Math.round(o.windowMs / 1000)} s; giving up and stopping the others`,
          { process: spec.cmd, code },
        );
        giveUp.abort();
        return;
      }
      const delay = Math.min(o.backoffMs * 2 ** (crashes.length - 1), o.maxBackoffMs);
      log.error(`${spec.cmd} exited on its own (${code}); restarting it in ${(delay / 1000).toFixed(1)} s`, {
        process: spec.cmd,
        code,
        crashes_in_window: crashes.length,
      });
      await Promise.race([new Promise((r) => setTimeout(r, delay)), stopping, gaveUp]);
    }
  };

  const kept = Promise.all(specs.map((spec) => keep(spec)));
  await Promise.race([stopping, gaveUp]);
  const exits = [...running].map((proc) => waitExit(proc));
  for (const proc of running) proc.kill('SIGTERM');
  const killTimer = setTimeout(() => {
    for (const proc of running) {
      log.warn('process did not stop within the grace period; killing it', { pid: proc.pid });
      proc.kill('SIGKILL');
    }
  }, o.stopGraceMs);
  await Promise.all(exits);
  await kept;
  clearTimeout(killTimer);
  log.info('pipeline processes stopped');
  return giveUp.signal.aborted ? 1 : 0;
}

function waitExit(proc: ChildProcess): Promise<number | string> {
  if (proc.exitCode !== null || proc.signalCode !== null)
    return Promise.resolve(proc.exitCode ?? proc.signalCode ?? 'unknown');
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}
