import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toStartRequest } from '../src/domains/xact/start';
import { loadConfig } from '../src/config/config';
import { sampleEvent } from '../src/domains/xact/sample';
import type { FileServerStandin } from '../dev/file-server-standin';
import { PROCESS_MALLOC_ENV, PROCESS_NODE_OPTIONS } from '../src/worker/node-options';
import { ROOT } from '../test/support/stack';
import { freePort } from '../test/support/free-port';
import { benchTarget, targetClient } from './target';
import { createTopic, deleteTopic, produceEvents, terminateQueue } from './ceilings';
import { type Figure, rssSampler } from './figures';

const MB = 2 ** 20;

/** Runs `kafka-pipeline <command>` compiled (as in the container image) and resolves once `ready` is logged. */
export async function spawnCompiled(
  command: string,
  env: Record<string, string>,
  ready: string,
  execArgv: readonly string[] = [],
  root = ROOT,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...execArgv, path.join(root, 'bin', 'kafka-pipeline.js'), command], {
    env: {
      ...process.env,
      ...PROCESS_MALLOC_ENV,
      NODE_OPTIONS: PROCESS_NODE_OPTIONS, // as the image runs every process; `env` may override it (variants)
      ...env,
      KP_RUN_COMPILED: '1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => String(d).includes(ready) && resolve());
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
  });
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** 6a. Worker peak RSS while streaming one attachment of `bytes` (compiled worker, production NODE_OPTIONS). */
export async function workerRss(sample: FileServerStandin, bytes: number): Promise<Figure> {
  const lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-'));
  const env = {
    ...benchTarget().env,
    TEMPORAL_TASK_QUEUE: `bench-rss-${randomUUID().slice(0, 8)}`,
    LAKEHOUSE_DIR: lakehouse,
    METRICS_PORT: '0',
    ALLOWED_ATTACHMENT_DOMAINS: '127.0.0.1',
    DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
    DOWNLOAD_ALLOW_LOOPBACK: 'true',
    NODE_OPTIONS: PROCESS_NODE_OPTIONS,
  };
  const worker = await spawnCompiled('worker', env, 'worker started');
  const { connection, client } = await targetClient();
  try {
    const config = loadConfig(env);
    const idle = rssSampler(worker.pid!).stop();
    const req = toStartRequest(config, 'bench', 0, {
      key: null,
      value: Buffer.from(JSON.stringify(sampleEvent(1, { sampleUrl: sample.url, attachments: 1, bytes }))),
      offset: String(Date.now()),
      timestamp: '0',
    });
    const sampler = rssSampler(worker.pid!);
    const t0 = performance.now();
    await client.workflow.execute(req.workflowType, {
      taskQueue: config.taskQueue,
      workflowId: `${req.workflowId}-rss-${randomUUID().slice(0, 8)}`,
      args: req.args,
    });
    const seconds = (performance.now() - t0) / 1000;
    const peak = sampler.stop();
    return {
      section: 'memory',
      name: `worker peak RSS streaming ${Math.round(bytes / MB)} MB`,
      value: peak / MB,
      unit: 'MB',
      baseline: { name: 'idle RSS MB', value: idle / MB },
      target: '<= 256',
      note: `${(bytes / MB / seconds).toFixed(0)} MB/s`,
    };
  } finally {
    await connection.close();
    await stopChild(worker);
    fs.rmSync(lakehouse, { recursive: true, force: true });
  }
}

/**
 * 6b. Bridge peak RSS while working through a backlog of `count` messages (no worker: starts only), for at most
 * `windowS` seconds: memory is bounded by fetch and in-flight limits, not by the backlog, so a window suffices.
 */
export async function bridgeRss(count: number, windowS = 60): Promise<Figure> {
  const id = randomUUID().slice(0, 8);
  const topic = `bench-backlog-${id}`;
  await createTopic(topic);
  await produceEvents(topic, count, 'http://127.0.0.1:1', `bl${id}`);
  const port = await freePort();
  const env = {
    ...benchTarget().env,
    // No worker runs here: back-pressure (on by default) would stop the bridge after 200 starts.
    BRIDGE_MAX_OPEN_WORKFLOWS: '0',
    XACT_EVENTS_TOPIC: topic,
    XACT_CONSUMER_GROUP: `bench-${id}`,
    TEMPORAL_TASK_QUEUE: `bench-backlog-${id}`,
    METRICS_PORT: String(port),
    LAKEHOUSE_DIR: path.join(ROOT, '.state', 'bench-quarantine'),
  };
  const bridge = await spawnCompiled('bridge', env, 'bridge consuming');
  const sampler = rssSampler(bridge.pid!);
  const idle = sampler.peak();
  const t0 = performance.now();
  try {
    let started = 0;
    while (started < count && performance.now() - t0 < windowS * 1000) {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
      const lines = [...text.matchAll(/^pipeline_workflow_starts_total\{[^}]*\} (\d+)/gm)];
      started = lines.reduce((n, m) => n + Number(m[1]), 0);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      section: 'memory',
      name: `bridge peak RSS through a ${count}-message backlog`,
      value: sampler.stop() / MB,
      unit: 'MB',
      baseline: { name: 'RSS at start MB', value: idle / MB },
      note: `${started} started in ${seconds.toFixed(0)} s (${Math.round(started / seconds)}/s), separate compiled process`,
    };
  } finally {
    await stopChild(bridge);
    await terminateQueue(env.TEMPORAL_TASK_QUEUE);
    await deleteTopic(topic);
  }
}
