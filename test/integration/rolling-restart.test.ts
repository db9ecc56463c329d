import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client, Connection } from '@temporalio/client';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { xactEventId } from '../../src/shared/uuid5';
import { readWithDeltaRs } from '../support/delta-rs';
import {
  startPipelineProcess,
  stopPipelineProcess,
  type PipelineProcess,
  localPipelineEnv,
} from '../support/processes';
import { until } from '../support/poll';
import { ensureStack, execFileAsync, KAFKA_BROKER, ROOT, TEMPORAL_ADDRESS, createTopic } from '../support/stack';

type Proc = PipelineProcess & { readonly name: string };

/**
 * Graceful rollouts on the real local stack: two bridge and two worker processes (compiled, as in the image) are
 * restarted one at a time with SIGTERM while events flow. Nothing may be lost or duplicated.
 */
describe('rolling restart of bridges and workers under load', function () {
  this.timeout(900_000);
  const id = randomUUID().slice(0, 8);
  const topic = `xact.events.rolling-${id}`;
  let sample: FileServerStandin;
  let lakehouse: string;
  let env: ReturnType<typeof localPipelineEnv>;
  const kafka = new Kafka({ clientId: 'rolling-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const procs: Proc[] = [];

  const start = async (name: string, command: 'bridge' | 'worker'): Promise<Proc> => {
    const proc = { name, ...(await startPipelineProcess(command, env)) };
    procs.push(proc);
    return proc;
  };

  /** SIGTERM, then the time until the process exited; fails if it needs longer than the pod's grace period. */
  const stop = async (proc: Proc, graceS: number): Promise<number> => {
    const { code, ms } = await stopPipelineProcess(proc, graceS * 1000);
    assert.equal(code, 0, `${proc.name} exit code ${code}:\n${proc.output.slice(-20).join('\n')}`);
    return ms;
  };

  before(async () => {
    await ensureStack();
    await execFileAsync('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000 });
    sample = await startFileServerStandin();
    lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-rolling-'));
    await createTopic(topic, 6);
    env = localPipelineEnv(`rolling-${id}`, lakehouse, {
      KP_RUN_COMPILED: '1',
      METRICS_PORT: '0',
      DELTA_COMMIT_INTERVAL_MS: '0',
      WORKER_SHUTDOWN_GRACE_S: '30',
      // An activity task the server hands to a worker in its last instant of polling is lost with that worker and
      // comes back after its start-to-close or heartbeat timeout (20 s): keep the retry delays short here.
      RETRY_INITIAL_INTERVAL_S: '2',
      RETRY_MAX_INTERVAL_S: '5',
      LOG_LEVEL: 'info',
    });
  });
  after(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await sample?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    fs.rmSync(lakehouse, { recursive: true, force: true });
  });

  it('restarts each process once while 300 events flow: every event exactly once in Delta, offsets committed', async () => {
    const bridges = [await start('bridge-1', 'bridge'), await start('bridge-2', 'bridge')];
    const workers = [await start('worker-1', 'worker'), await start('worker-2', 'worker')];

    const total = 300;
    const traces = Array.from({ length: total }, (_, i) => `rolling-${id}-${i}`);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const producing = (async () => {
      for (const [i, traceId] of traces.entries()) {
        // Every fifth attachment is slow, so restarts catch activities in flight.
        const e = sampleEvent(i, { sampleUrl: sample.url, attachments: 1, bytes: 20_000 });
        const urls = (e.data as { attachments: string[] }).attachments;
        const slowUrls = i % 5 === 0 ? urls.map((u) => u.replace('/files/', '/slow/700/')) : urls;
        const event = { ...e, traceId, data: { ...(e.data as object), attachments: slowUrls } };
        await producer.send({ topic, messages: [{ key: traceId, value: JSON.stringify(event) }] });
        await new Promise((r) => setTimeout(r, 50)); // a steady ~20 events/s while the restarts happen
      }
    })();

    const drains: Record<string, number> = {};
    for (const [i, name] of ['bridge-1', 'worker-1', 'bridge-2', 'worker-2'].entries()) {
      await new Promise((r) => setTimeout(r, 2_000)); // let load build between restarts
      if (name.startsWith('bridge')) {
        drains[name] = await stop(bridges[i === 0 ? 0 : 1]!, 60);
        bridges[i === 0 ? 0 : 1] = await start(`${name}'`, 'bridge');
      } else {
        drains[name] = await stop(workers[i === 1 ? 0 : 1]!, 90);
        workers[i === 1 ? 0 : 1] = await start(`${name}'`, 'worker');
      }
    }
    await producing;
    await producer.disconnect();

    const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    const client = new Client({ connection });
    const completed = () =>
      client.workflow.count(`TaskQueue = '${env.TEMPORAL_TASK_QUEUE}' AND ExecutionStatus = 'Completed'`);
    await until(
      `all ${total} workflows completed`,
      async () => (await completed()).count >= total,
      async () => `${(await completed()).count} completed`,
      300_000,
    );
    const notCompleted = await client.workflow.count(
      `TaskQueue = '${env.TEMPORAL_TASK_QUEUE}' AND ExecutionStatus != 'Completed'`,
    );
    assert.equal(notCompleted.count, 0, 'no failed, running or terminated runs');
    await connection.close();

    // Rows of the last activities are flushed by the group committer before the workers stop.
    for (const w of workers) await stop(w, 90);
    for (const b of bridges) await stop(b, 60);
    const events = await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_events'));
    const attachments = await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_attachments'));
    assert.equal(events.rows.length, total, 'one event row per event');
    assert.deepEqual(new Set(events.rows.map((r) => r.event_id)), new Set(traces.map(xactEventId)));
    assert.equal(attachments.rows.length, total, 'one inventory row per attachment');
    assert.equal(new Set(attachments.rows.map((r) => r.media_id)).size, total);

    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: env.XACT_CONSUMER_GROUP, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    for (const p of committed!.partitions) {
      assert.equal(p.offset, ends.find((e) => e.partition === p.partition)!.offset, `partition ${p.partition} lag`);
    }
    console.log(
      `      SIGTERM to exit: ${Object.entries(drains)
        .map(([n, ms]) => `${n} ${ms} ms`)
        .join(', ')}`,
    );
    for (const name of ['bridge-1', 'bridge-2']) assert.ok(drains[name]! < 60_000);
    for (const name of ['worker-1', 'worker-2']) assert.ok(drains[name]! < 90_000);
  });
});
