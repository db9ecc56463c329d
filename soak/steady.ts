// The "compressed month" (issue 31, soak b): the compiled bridge and worker, as the image runs them, under a steady
// load for a given time, with table maintenance on a short schedule. Reports RSS slopes, files per partition, log
// files, exactly-once counts read with delta-rs, and whether a DLQ entry still replays.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection, Client, ScheduleNotFoundError } from '@temporalio/client';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startFileServerStandin } from '../dev/file-server-standin';
import { loadConfig } from '../src/config/config';
import { maintenanceSchedules } from '../src/maintenance/schedules';
import { sampleEvent } from '../src/domains/xact/sample';
import { PROCESS_NODE_OPTIONS } from '../src/worker/node-options';
import { spawnCompiled, stopChild } from '../bench/memory';
import { freePort } from '../test/support/free-port';
import { runPython } from '../test/support/delta-rs';
import { localPipelineEnv } from '../test/support/processes';
import { createTopic, KAFKA_BROKER, ROOT, TEMPORAL_ADDRESS } from '../test/support/stack';
import { ensureCompiled } from '../src/cli/common/ensure-compiled';
import { createLogger } from '../src/observability/logger';
import { scrape, total } from '../src/observability/scrape';
import { MemoryTrack, type MemorySummary } from './memory';
import { tableFiles, type TableFiles } from './table-files';

export interface SteadyOptions {
  /** How long events are produced. */
  readonly seconds: number;
  readonly eventsPerS: number;
  /** Every n-th event has one attachment that answers 404: a DLQ entry (0: none). */
  readonly failEvery: number;
  /** Extra environment for both processes (e.g. the maintenance interval). */
  readonly env?: Record<string, string>;
  /** Extra environment for the worker only (experiments, e.g. MALLOC_ARENA_MAX). */
  readonly workerEnv?: Record<string, string>;
  /** Extra environment for the bridge only (experiments, e.g. NODE_OPTIONS). */
  readonly bridgeEnv?: Record<string, string>;
  readonly log?: (line: string) => void;
}

export interface SteadyReport {
  readonly produced: number;
  readonly expectedCompleted: number;
  readonly expectedFailed: number;
  /** trace ids with exactly one xact_events row / with none / with more than one (delta-rs). */
  readonly eventRows: { once: number; missing: number; duplicated: number };
  /** attachment rows of completed events: each once (delta-rs). */
  readonly attachmentRows: { rows: number; distinctMediaIds: number };
  /** RSS of each process and its memory by area (soak/memory.ts), each with its slope. */
  readonly rss: { worker: MemorySummary; bridge: MemorySummary };
  readonly tables: Record<string, TableFiles>;
  /** A failed event replayed with a corrected URL completed (dlq replay --set-url --wait exited 0). */
  readonly replayed: boolean;
  readonly seconds: number;
}

const TABLES = ['xact_events', 'xact_attachments'];

/** Runs the CLI without blocking this process (it serves the sample files the worker downloads). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), ...args], {
      env: { ...process.env, ...env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.stderr.on('data', (d: Buffer) => (out += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Polls until `check` holds or `ms` passed; returns whether it held. */
async function waitUntil(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return check();
}

export async function steadyLoad(opts: SteadyOptions): Promise<SteadyReport> {
  const log = opts.log ?? (() => {});
  // The processes run compiled, as in the image: build first when dist/ is older than the sources (else a stale
  // dist/ would soak yesterday's code).
  await ensureCompiled(createLogger('soak', { level: 'warn' }));
  const id = `soak-${randomUUID().slice(0, 8)}`;
  const lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-lakehouse-'));
  const sample = await startFileServerStandin();
  const [bridgePort, workerPort] = [await freePort(), await freePort()];
  const env = localPipelineEnv(id, lakehouse, { LOG_LEVEL: 'warn', ...(opts.env ?? {}) });
  await createTopic(env.XACT_EVENTS_TOPIC!, 6);
  const kafka = new Kafka({ clientId: 'soak', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const procs: ChildProcess[] = [];
  const t0 = Date.now();
  try {
    const worker = await spawnCompiled(
      'worker',
      { ...env, METRICS_PORT: String(workerPort), NODE_OPTIONS: PROCESS_NODE_OPTIONS, ...(opts.workerEnv ?? {}) },
      'worker started',
    );
    procs.push(worker);
    const bridge = await spawnCompiled(
      'bridge',
      { ...env, METRICS_PORT: String(bridgePort), ...(opts.bridgeEnv ?? {}) },
      'bridge consuming',
    );
    procs.push(bridge);
    const memory = {
      worker: new MemoryTrack(worker.pid!, workerPort),
      bridge: new MemoryTrack(bridge.pid!, bridgePort),
    };
    const sampleMemory = async () => {
      const t = (Date.now() - t0) / 1000;
      await Promise.all([memory.worker.sample(t), memory.bridge.sample(t)]);
    };
    await sampleMemory();
    const sampler = setInterval(() => void sampleMemory(), 5000);

    const failed: { traceId: string; url: string }[] = [];
    const traceIds: string[] = [];
    let produced = 0;
    const produceStart = Date.now();
    while (Date.now() - produceStart < opts.seconds * 1000) {
      const due = Math.floor(((Date.now() - produceStart) / 1000) * opts.eventsPerS) + 1;
      const batch = [];
      for (; produced < due; produced++) {
        const e = sampleEvent(produced, { sampleUrl: sample.url, attachments: 1 + (produced % 3), bytes: 4000 });
        if (opts.failEvery > 0 && produced % opts.failEvery === opts.failEvery - 1) {
          const url = `${sample.url}/status/404/soak/${String(e.traceId)}.pdf`;
          (e.data as { attachments: string[] }).attachments.push(url);
          failed.push({ traceId: String(e.traceId), url });
        }
        traceIds.push(String(e.traceId));
        batch.push({ key: String(e.traceId), value: JSON.stringify(e) });
      }
      if (batch.length > 0) await producer.send({ topic: env.XACT_EVENTS_TOPIC, messages: batch });
      if (produced % (opts.eventsPerS * 60) < batch.length) log(`soak: ${produced} events produced`);
      await new Promise((r) => setTimeout(r, 200));
    }
    log(`soak: ${produced} produced; waiting for the pipeline to finish them`);
    // Finished: every event handed to Temporal, no run open, every event row there (failed runs record theirs
    // first). Handed = started or duplicate: a start whose call timed out although the server had taken it is
    // retried and then counted as a duplicate (36-minute soaks waited 15 minutes for the 8,640th "started").
    const finished = await waitUntil(async () => {
      const bridge = await scrape(`http://127.0.0.1:${bridgePort}/metrics`);
      if (!bridge) return false;
      const started = total(bridge, 'pipeline_workflow_starts_total', { outcome: 'started' });
      const duplicate = total(bridge, 'pipeline_workflow_starts_total', { outcome: 'duplicate' });
      if (started + duplicate < produced || total(bridge, 'pipeline_open_workflows') > 0) return false;
      const rows = await countTraceIds(lakehouse, traceIds);
      return rows.once + rows.duplicated >= produced;
    }, 900_000);
    if (!finished) log('soak: the pipeline did not finish every event within 15 minutes of the load');
    const expectedCompleted = produced - failed.length;
    clearInterval(sampler);
    await sampleMemory();

    let replayed = false;
    if (failed.length > 0) {
      const f = failed[0];
      const good = f!.url.replace('/status/404/', '/files/');
      const r = await cli(
        [
          'dlq',
          'replay',
          f!.traceId,
          '--set-url',
          `${f!.url}=${good}`,
          '--wait',
          '--reason',
          'soak',
          '--operator',
          'soak',
        ],
        env,
      );
      replayed = r.code === 0;
      if (!replayed) log(`soak: replay failed (${r.code}): ${r.out.slice(-2000)}`);
    }
    const eventRows = await countTraceIds(lakehouse, traceIds);
    const attachmentRows = await countAttachments(lakehouse);
    const tables: Record<string, TableFiles> = {};
    for (const t of TABLES) tables[t] = await tableFiles(path.join(lakehouse, 'Tables', t));
    return {
      produced,
      expectedCompleted,
      expectedFailed: failed.length,
      eventRows,
      attachmentRows,
      rss: { worker: memory.worker.summary(), bridge: memory.bridge.summary() },
      tables,
      replayed,
      seconds: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    for (const p of procs.reverse()) await stopChild(p);
    await deleteSchedules(env);
    await producer.disconnect();
    await sample.close();
    fs.rmSync(lakehouse, { recursive: true, force: true });
  }
}

/** How many of `traceIds` have exactly one xact_events row, none, or several (read with delta-rs). */
async function countTraceIds(
  lakehouse: string,
  traceIds: readonly string[],
): Promise<{ once: number; missing: number; duplicated: number }> {
  const table = path.join(lakehouse, 'Tables', 'xact_events');
  if (!fs.existsSync(path.join(table, '_delta_log'))) return { once: 0, missing: traceIds.length, duplicated: 0 };
  const ids = path.join(lakehouse, `trace-ids-${randomUUID()}.json`);
  fs.writeFileSync(ids, JSON.stringify(traceIds));
  try {
    const out = await runPython(
      [
        'import json, sys, collections',
        'from deltalake import DeltaTable',
        't = DeltaTable(sys.argv[1]).to_pyarrow_table(columns=["trace_id"])',
        'c = collections.Counter(t.column("trace_id").to_pylist())',
        'want = json.load(open(sys.argv[2]))',
        'print(json.dumps({"once": sum(1 for w in want if c[w] == 1), "missing": sum(1 for w in want if c[w] == 0),',
        '  "duplicated": sum(1 for w in want if c[w] > 1)}))',
      ].join('\n'),
      [table, ids],
    );
    return JSON.parse(out) as { once: number; missing: number; duplicated: number };
  } finally {
    fs.rmSync(ids, { force: true });
  }
}

async function countAttachments(lakehouse: string): Promise<{ rows: number; distinctMediaIds: number }> {
  const out = await runPython(
    [
      'import json, sys',
      'from deltalake import DeltaTable',
      't = DeltaTable(sys.argv[1]).to_pyarrow_table(columns=["media_id"])',
      'ids = t.column("media_id").to_pylist()',
      'print(json.dumps({"rows": len(ids), "distinctMediaIds": len(set(ids))}))',
    ].join('\n'),
    [path.join(lakehouse, 'Tables', 'xact_attachments')],
  );
  return JSON.parse(out) as { rows: number; distinctMediaIds: number };
}

/**
 * The worker made the maintenance schedules point at this run's task queue: delete them, so that nothing keeps
 * starting maintenance runs no worker will pick up once the soak is over.
 */
async function deleteSchedules(env: Record<string, string>): Promise<void> {
  const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection });
    for (const s of maintenanceSchedules(loadConfig(env))) {
      const handle = client.schedule.getHandle(s.scheduleId);
      try {
        const d = await handle.describe();
        if (d.action.type === 'startWorkflow' && d.action.taskQueue === env.TEMPORAL_TASK_QUEUE) await handle.delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
  } finally {
    await connection.close();
  }
}
