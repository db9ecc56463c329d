import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { scrape, total } from '../../src/observability/scrape';
import { freePort } from '../support/free-port';
import { until } from '../support/poll';
import {
  localPipelineEnv,
  spawnPipelineProcess,
  startPipelineProcess,
  type PipelineProcess,
} from '../support/processes';
import { createTopic, ensureStack, execFileAsync, KAFKA_BROKER, ROOT, STACK_SCRIPT } from '../support/stack';

const EXIT_DEADLINE_MS = 60_000;
/** A process started by the test, with its output. */
type Watched = Pick<PipelineProcess, 'child' | 'output'>;
const exited = (p: Watched) => p.child.exitCode !== null || p.child.signalCode !== null;
const tail = (p: Watched) => async () => p.output.slice(-15).join('\n');

/**
 * A bridge or worker process ends once it is done: after a fatal error with a non-zero code (a supervisor restarts
 * it), and after SIGTERM even when its Kafka clients lived through a broker restart (issue 30 items 13, 14); `npm
 * start` stops all it started when npm gets SIGTERM (issue 33 item 7).
 */
describe('bridge and worker processes exit when they stop', function () {
  this.timeout(600_000);
  const name = `exit-${randomUUID().slice(0, 8)}`;
  let env: ReturnType<typeof localPipelineEnv>;
  const procs: Watched[] = [];
  const started: number[] = [];

  before(async () => {
    await ensureStack();
    env = localPipelineEnv(name, fs.mkdtempSync(path.join(os.tmpdir(), 'exit-')));
    await createTopic(env.XACT_EVENTS_TOPIC!, 2);
  });
  after(async () => {
    for (const p of procs) if (!exited(p)) p.child.kill('SIGKILL');
    for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
    await execFileAsync('bash', [STACK_SCRIPT, 'up'], { timeout: 180_000 });
  });

  for (const [command, component] of [
    ['worker', 'worker'],
    ['bridge', 'bridge'],
    ['run', 'combined'],
    ['dlq-monitor', 'dlq-monitor'],
  ] as const) {
    it(`a ${component} process whose metrics port is taken logs the error and exits with a non-zero code`, async () => {
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
      try {
        const port = (taken.address() as net.AddressInfo).port;
        const proc = spawnPipelineProcess(command, { ...env, METRICS_PORT: String(port) });
        procs.push(proc);
        await until(`the ${command} exits`, async () => exited(proc), tail(proc), EXIT_DEADLINE_MS);
        assert.ok(
          proc.output.some((l) => l.includes(`${component} stopped by an error`) && l.includes('EADDRINUSE')),
          proc.output.join('\n'),
        );
        assert.ok(proc.child.exitCode !== null && proc.child.exitCode !== 0, `exit code ${proc.child.exitCode}`);
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    });
  }

  it('a bridge that lived through a broker restart exits by itself after SIGTERM', async () => {
    const port = await freePort();
    const proc = await startPipelineProcess('bridge', { ...env, METRICS_PORT: String(port) });
    procs.push(proc);
    const consumed = async () =>
      total(await scrape(`http://127.0.0.1:${port}/metrics`), 'kafka_messages_consumed_total');

    await execFileAsync('bash', [STACK_SCRIPT, 'down', 'kafka'], { timeout: 120_000 });
    await until(
      'the bridge notices the broker is gone',
      async () => proc.output.some((l) => l.includes('ECONNREFUSED')),
      tail(proc),
    );
    await execFileAsync('bash', [STACK_SCRIPT, 'up', 'kafka'], { timeout: 180_000 });
    // A message after the restart: the consumer fetches (and heartbeats) through the restarted broker again.
    const producer = new Kafka({
      clientId: 'exit-test',
      brokers: [KAFKA_BROKER],
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    await producer.send({ topic: env.XACT_EVENTS_TOPIC, messages: [{ key: 'after-restart', value: 'not json' }] });
    await producer.disconnect();
    await until('the bridge consumes again', async () => (await consumed()) >= 1, tail(proc));

    proc.child.kill('SIGTERM');
    await until('the bridge exits after SIGTERM', async () => exited(proc), tail(proc), EXIT_DEADLINE_MS);
    assert.ok(
      proc.output.some((l) => l.includes('bridge stopped')),
      proc.output.join('\n'),
    );
    assert.equal(proc.child.exitCode, 0, proc.output.slice(-15).join('\n'));
    // It closed everything itself: the entry point's backstop (exit after a grace period) was not needed.
    assert.ok(!proc.output.some((l) => l.includes('did not exit by itself')), proc.output.slice(-40).join('\n'));
  });

  it('npm start stops the start command, the worker, the bridges and the DLQ monitor when npm gets SIGTERM', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, ...env, METRICS_PORT: '0', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc: Watched = { child: npm, output: [] };
    procs.push(proc);
    const keep = (d: Buffer) => proc.output.push(...String(d).split('\n').filter(Boolean));
    npm.stdout.on('data', keep);
    npm.stderr.on('data', keep);
    const count = (text: string) => proc.output.filter((l) => l.includes(text)).length;
    await until(
      'the worker, both bridges and the DLQ monitor run',
      async () =>
        (count('bridge consuming') >= 2 && count('worker started') >= 1 && count('DLQ monitor running') >= 1) ||
        exited(proc),
      tail(proc),
      300_000,
    );
    assert.ok(!exited(proc), proc.output.join('\n'));
    const tree = await descendants(npm.pid!);
    assert.ok(tree.length >= 5, `npm's processes: ${tree.join(' ')}`); // sh, start, worker, 2 bridges, DLQ monitor
    started.push(...tree);

    npm.kill('SIGTERM');
    await until(
      'every process npm started has exited',
      async () => tree.every((pid) => !alive(pid)),
      async () => `still running: ${tree.filter(alive).join(' ')}\n${proc.output.slice(-10).join('\n')}`,
      EXIT_DEADLINE_MS,
    );
  });
});

/** The pids of every process below `pid`. */
async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await execFileAsync('ps', ['-eo', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp!, [...(children.get(pp!) ?? []), p!]);
  }
  const out: number[] = [];
  const visit = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      visit(c);
    }
  };
  visit(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
