import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../observability/logger';
import { PROJECT_ROOT } from './stack';

const CLI = path.join(PROJECT_ROOT, 'bin', 'kafka-pipeline.js');
const STOP_GRACE_MS = 30_000;

/**
 * Runs the given CLI subcommands as child processes until `stop` aborts or one of them exits.
 * On stop every child gets SIGTERM (it drains and exits by itself), then SIGKILL after the grace period.
 * Resolves with 0 when stopped on request, 1 when a child died on its own.
 */
export interface ChildSpec {
  readonly cmd: string;
  readonly env?: Readonly<Record<string, string>>;
}

export async function supervise(specs: readonly ChildSpec[], log: Logger, stop: AbortSignal): Promise<number> {
  const children = specs.map(({ cmd, env }) => ({
    cmd,
    proc: spawn(process.execPath, [CLI, cmd], { stdio: 'inherit', env: { ...process.env, ...env } }),
  }));
  const exited = children.map(({ cmd, proc }) => waitExit(proc).then((code) => ({ cmd, code })));
  const stopRequested = new Promise<'stop'>((resolve) => {
    if (stop.aborted) resolve('stop');
    stop.addEventListener('abort', () => resolve('stop'), { once: true });
  });
  const first = await Promise.race([stopRequested, ...exited]);
  if (first !== 'stop')
    log.error('a pipeline process exited on its own; stopping the others', { process: first.cmd, code: first.code });
  for (const { proc } of children) if (proc.exitCode === null) proc.kill('SIGTERM');
  const killTimer = setTimeout(() => {
    for (const { cmd, proc } of children) {
      if (proc.exitCode === null && proc.signalCode === null) {
        log.warn('process did not stop within the grace period; killing it', { process: cmd });
        proc.kill('SIGKILL');
      }
    }
  }, STOP_GRACE_MS);
  const results = await Promise.all(exited);
  clearTimeout(killTimer);
  log.info('pipeline processes stopped', { exits: results });
  return first === 'stop' ? 0 : 1;
}

function waitExit(proc: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}
