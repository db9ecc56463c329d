import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WORKER_NODE_OPTIONS } from '../../src/worker/node-options';
import { until } from './poll';
import { ROOT } from './stack';

/** A pipeline process (`kafka-pipeline bridge|worker`) started as operators start it, with its output kept. */
export interface PipelineProcess {
  readonly command: 'bridge' | 'worker';
  readonly child: ChildProcess;
  readonly output: string[];
}

/** Starts `node bin/kafka-pipeline.js <command>` and waits for its ready line. */
export async function startPipelineProcess(
  command: 'bridge' | 'worker',
  env: Record<string, string>,
): Promise<PipelineProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), command], {
    env: { ...process.env, ...env, ...(command === 'worker' ? { NODE_OPTIONS: WORKER_NODE_OPTIONS } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = { command, child, output: [] as string[] };
  const keep = (d: Buffer) => proc.output.push(...String(d).split('\n').filter(Boolean));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const ready = command === 'bridge' ? 'bridge consuming' : 'worker started';
  await until(
    `${command} is ${ready}`,
    async () => proc.output.some((l) => l.includes(ready)) || child.exitCode !== null,
  );
  assert.equal(child.exitCode, null, `${command} exited early:\n${proc.output.join('\n')}`);
  return proc;
}

/** SIGTERM and wait for the exit (SIGKILL after `graceMs`). */
export async function stopPipelineProcess(proc: PipelineProcess, graceMs = 90_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
