import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROCESS_MALLOC_ENV, PROCESS_NODE_OPTIONS } from '../../src/worker/node-options';
import { until } from './poll';
import { KAFKA_BROKER, ROOT, TEMPORAL_ADDRESS } from './stack';

/** A long-running command of the CLI: the bridge, the worker, both in one process (`run`), or the DLQ monitor. */
export type PipelineCommand = 'bridge' | 'worker' | 'run' | 'dlq-monitor';

/** A pipeline process (`kafka-pipeline bridge|worker|run|dlq-monitor`) started as operators start it, output kept. */
export interface PipelineProcess {
  readonly command: PipelineCommand;
  readonly child: ChildProcess;
  readonly output: string[];
}

/**
 * The environment of pipeline processes isolated per test: the local stack, a topic `xact.events.<name>`, consumer
 * group and task queue `<name>`, a lakehouse folder of its own, attachments from the local sample server; `extra`
 * adds or overrides keys.
 */
export function localPipelineEnv(
  name: string,
  lakehouse: string,
  extra: Record<string, string> = {},
): Record<string, string> & { XACT_EVENTS_TOPIC: string; XACT_CONSUMER_GROUP: string } {
  return {
    KAFKA_BROKERS: KAFKA_BROKER,
    TEMPORAL_ADDRESS,
    XACT_EVENTS_TOPIC: `xact.events.${name}`,
    XACT_CONSUMER_GROUP: name,
    TEMPORAL_TASK_QUEUE: name,
    LAKEHOUSE_DIR: lakehouse,
    ALLOWED_ATTACHMENT_DOMAINS: '127.0.0.1',
    DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
    DOWNLOAD_ALLOW_LOOPBACK: 'true',
    ...extra,
  };
}

/** Starts `node bin/kafka-pipeline.js <command>`, keeping its output; does not wait for anything. */
export function spawnPipelineProcess(command: PipelineCommand, env: Record<string, string>): PipelineProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), command], {
    env: {
      ...process.env,
      ...PROCESS_MALLOC_ENV,
      NODE_OPTIONS: PROCESS_NODE_OPTIONS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = { command, child, output: [] as string[] };
  const keep = (d: Buffer) => proc.output.push(...String(d).split('\n').filter(Boolean));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return proc;
}

/** The log line each command writes once it runs (the combined process: once its bridge consumes). */
const READY_LINE: Record<PipelineCommand, string> = {
  bridge: 'bridge consuming',
  run: 'bridge consuming',
  worker: 'worker started',
  'dlq-monitor': 'DLQ monitor running',
};

/** Starts `node bin/kafka-pipeline.js <command>` and waits for its ready line. */
export async function startPipelineProcess(
  command: PipelineCommand,
  env: Record<string, string>,
): Promise<PipelineProcess> {
  const proc = spawnPipelineProcess(command, env);
  const { child } = proc;
  const ready = READY_LINE[command];
  await until(
    `${command} is ${ready}`,
    async () => proc.output.some((l) => l.includes(ready)) || child.exitCode !== null,
  );
  assert.equal(child.exitCode, null, `${command} exited early:\n${proc.output.join('\n')}`);
  return proc;
}

/** SIGTERM and wait for the exit (SIGKILL after `graceMs`); returns the exit code and how long the stop took. */
export async function stopPipelineProcess(
  proc: PipelineProcess,
  graceMs = 90_000,
): Promise<{ code: number | null; ms: number }> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return { code: proc.child.exitCode, ms: 0 };
  const t0 = Date.now();
  const exited = new Promise<number | null>((resolve) => proc.child.once('exit', (code) => resolve(code)));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, ms: Date.now() - t0 };
}
