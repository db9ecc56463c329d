import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { METRICS, SDK_METRICS } from '../../src/observability/metric-catalogue';
import { toStartRequest } from '../../src/domains/xact/start';
import { loadConfig } from '../../src/config/config';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import type { IngestSummary } from '../../src/shared/pipeline-types';
import { PROCESS_MALLOC_ENV, PROCESS_NODE_OPTIONS } from '../../src/worker/node-options';
import { freePort } from '../support/free-port';
import { ensureStack, execFileAsync, ROOT, TEMPORAL_ADDRESS } from '../support/stack';
import { rssBytes } from '../../bench/figures';

const GIB = 1024 ** 3;

describe('worker memory while streaming a 1 GB attachment', function () {
  this.timeout(600_000);
  let sample: FileServerStandin;
  let worker: ChildProcess;
  let lakehouse: string;
  let connection: Connection;

  before(async () => {
    await ensureStack();
    sample = await startFileServerStandin();
    lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-1g-'));
    connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    // Measured as it runs in production (and in the container image): compiled, with the prebuilt workflow bundle.
    await execFileAsync('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000 });
  });
  after(async () => {
    worker?.kill('SIGTERM');
    await connection?.close();
    await sample?.close();
    fs.rmSync(lakehouse, { recursive: true, force: true });
  });

  it('stays under 256 MB RSS (measured on the worker process, sampled every 50 ms)', async () => {
    const env = {
      TEMPORAL_TASK_QUEUE: `mem-${randomUUID().slice(0, 8)}`,
      LAKEHOUSE_DIR: lakehouse,
      METRICS_PORT: '0',
      ALLOWED_ATTACHMENT_DOMAINS: '127.0.0.1',
      DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
      DOWNLOAD_ALLOW_LOOPBACK: 'true',
      LOG_LEVEL: 'info', // 'worker started' is an info line
      TEMPORAL_SDK_METRICS_PORT: String(await freePort()),
    };
    const config = loadConfig(env);
    worker = spawn(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'worker'], {
      env: { ...process.env, ...PROCESS_MALLOC_ENV, ...env, KP_RUN_COMPILED: '1', NODE_OPTIONS: PROCESS_NODE_OPTIONS },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const metricsPort = await new Promise<number>((resolve, reject) => {
      worker.stdout!.on('data', (d: Buffer) => {
        for (const line of String(d).split('\n')) {
          if (line.includes('worker started')) resolve((JSON.parse(line) as { metrics_port: number }).metrics_port);
        }
      });
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    const baseline = rssBytes(worker.pid!);

    const event = sampleEvent(1, { sampleUrl: sample.url, attachments: 1, bytes: GIB });
    const req = toStartRequest(config, 'memory-test', 0, {
      key: null,
      value: Buffer.from(JSON.stringify(event)),
      offset: '0',
      timestamp: '0',
    });
    const client = new Client({ connection });
    const handle = await client.workflow.start(req.workflowType, {
      taskQueue: config.taskQueue,
      workflowId: `${req.workflowId}-mem`,
      args: req.args,
    });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(worker.pid!))), 50);
    let summary: IngestSummary;
    try {
      summary = (await handle.result()) as IngestSummary;
    } finally {
      clearInterval(sampler);
    }
    const file = path.join(lakehouse, config.xactFilesPrefix, summary.attachments[0]!.blobPath);
    assert.equal(fs.statSync(file).size, GIB);
    console.log(
      `      worker RSS: ${(baseline / 2 ** 20).toFixed(0)} MB idle, ${(peak / 2 ** 20).toFixed(0)} MB peak while moving 1 GiB`,
    );
    assert.ok(peak < 256 * 2 ** 20, `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`);

    // The worker's own metrics saw the same transfer and both Delta commits.
    const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    assert.equal(value('delta_writes_total{table="xact_events",status="success",service="worker"}'), 1);
    assert.equal(value('delta_events_written_total{table="xact_attachments",service="worker"}'), 1);
    assert.ok(value('onelake_bytes_transferred_total{operation="upload",service="worker"}') >= GIB);
    assert.ok(value('onelake_operations_total{operation="upload_if_absent",status="success",service="worker"}') >= 2);
    // And the Temporal SDK's own metrics (task slots, latencies) on their port.
    const sdk = await fetch(`http://127.0.0.1:${env.TEMPORAL_SDK_METRICS_PORT}/metrics`).then((r) => r.text());
    // Every SDK metric the alerts and dashboards use is served, with the labels they use.
    for (const [name, labels] of Object.entries(SDK_METRICS)) {
      const series = new RegExp(`^${name}(?:_bucket)?\\{([^}]*)\\}`, 'm').exec(sdk);
      assert.ok(series, `${name} is not served by the SDK exporter`);
      for (const label of labels) assert.match(series[1]!, new RegExp(`(^|,)${label}="`), `${name} lacks ${label}`);
    }
    // And every metric of the catalogue the worker owns is registered (type line present) on its /metrics.
    for (const [name, def] of Object.entries(METRICS) as [string, { type: string; processes: readonly string[] }][]) {
      if (def.processes.includes('worker')) assert.match(text, new RegExp(`^# TYPE ${name} ${def.type}$`, 'm'), name);
    }
  });
});
