import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { Client, Connection } from '@temporalio/client';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { xactEventId } from '../../src/shared/uuid5';
import { readWithDeltaRs } from '../support/delta-rs';
import { until } from '../support/poll';
import { localPipelineEnv, startPipelineProcess, type PipelineProcess } from '../support/processes';
import { createTopic, ensureStack, execFileAsync, KAFKA_BROKER, ROOT, TEMPORAL_ADDRESS } from '../support/stack';

const MB = 1024 * 1024;
const ROUNDS = Number(process.env.KP_FAULT_ROUNDS ?? 20);

/**
 * The fault matrix (`npm run test:faults`): compiled bridge and workers, as in the image, under steady traffic
 * that mixes valid events (some with slow attachments, some of 2 MB) with malformed, non-UTF-8 and oversized
 * invalid messages, while the bridge and the workers are killed with SIGKILL, ROUNDS times each. Afterwards every
 * message is exactly once a completed run or a DLQ entry, nothing is left running, the Delta tables verify, and
 * the committed offsets are the topic's end (never past what was handed over). Prints the figures of
 * docs/reliability.md.
 */
describe('fault matrix: SIGKILL of the bridge and the workers under mixed traffic', function () {
  this.timeout(1_800_000);
  const id = randomUUID().slice(0, 8);
  const name = `faults-${id}`;
  const topic = `xact.events.${name}`;
  let sample: FileServerStandin;
  let lakehouse: string;
  let env: Record<string, string>;
  let producer: Producer;
  const kafka = new Kafka({ clientId: 'fault-matrix', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
  const live: PipelineProcess[] = [];

  const start = async (command: 'bridge' | 'worker'): Promise<PipelineProcess> => {
    const proc = await startPipelineProcess(command, env);
    live.push(proc);
    return proc;
  };
  const kill = async (proc: PipelineProcess): Promise<void> => {
    const exited = new Promise((r) => proc.child.once('exit', r));
    proc.child.kill('SIGKILL');
    await exited;
  };

  before(async () => {
    await ensureStack();
    await execFileAsync('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000 });
    sample = await startFileServerStandin();
    lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-faults-'));
    await createTopic(topic, 6, [{ name: 'max.message.bytes', value: String(16 * MB) }]);
    env = localPipelineEnv(name, lakehouse, {
      KP_RUN_COMPILED: '1',
      METRICS_PORT: '0',
      DELTA_COMMIT_INTERVAL_MS: '0',
      LOG_LEVEL: 'info',
    });
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });
  after(async () => {
    for (const p of live) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await producer?.disconnect();
    await sample?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    fs.rmSync(lakehouse, { recursive: true, force: true });
  });

  it(`every message exactly once after ${ROUNDS} kills of the bridge and ${ROUNDS} of the workers`, async () => {
    let bridge = await start('bridge');
    const workers = [await start('worker'), await start('worker')];
    const valid: string[] = [];
    let invalid = 0;
    let attachments = 0;

    /** One round of traffic: 12 valid events (one slow, one of 2 MB) and 3 invalid messages of different kinds. */
    const produceRound = async (round: number): Promise<void> => {
      const messages: { key: string; value: string | Buffer }[] = [];
      for (let k = 0; k < 12; k++) {
        const i = round * 100 + k;
        const traceId = `${name}-${i}`;
        const e = sampleEvent(i, { sampleUrl: sample.url, attachments: 1, bytes: 5_000, traceId });
        const urls = (e.data as { attachments: string[] }).attachments;
        const data = {
          ...(e.data as object),
          attachments: k === 0 ? urls.map((u) => u.replace('/files/', '/slow/1500/')) : urls,
          ...(k === 1 ? { estimateNotes: 'n'.repeat(2 * MB) } : {}),
        };
        messages.push({ key: traceId, value: JSON.stringify({ ...e, traceId, data }) });
        valid.push(traceId);
        attachments++;
      }
      messages.push({ key: `bad-${round}`, value: '{"half": "a message' });
      messages.push({ key: `bin-${round}`, value: Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]) });
      messages.push({ key: `big-${round}`, value: `{"noTrace": "${'z'.repeat(MB)}"}` });
      invalid += 3;
      await producer.send({ topic, messages });
    };

    const kills = { bridge: 0, worker: 0 };
    const roundsStarted = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      await produceRound(round);
      await new Promise((r) => setTimeout(r, 800 + Math.random() * 1200)); // kill at a random moment of the flow
      await kill(bridge);
      kills.bridge++;
      bridge = await start('bridge');
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1500));
      const w = round % 2;
      await kill(workers[w]!);
      kills.worker++;
      workers[w] = await start('worker');
    }
    const lastKillAt = Date.now();

    const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    const client = new Client({ connection });
    const count = async (status: string) =>
      (await client.workflow.count(`TaskQueue = '${name}' AND ExecutionStatus = '${status}'`)).count;
    await until(
      `all ${valid.length} events completed and ${invalid} invalid messages in the DLQ`,
      async () => (await count('Completed')) === valid.length && (await count('Failed')) === invalid,
      async () =>
        `completed ${await count('Completed')}, failed ${await count('Failed')}, running ${await count('Running')}`,
      600_000,
    );
    const drainedS = (Date.now() - lastKillAt) / 1000;
    assert.equal(await count('Running'), 0, 'nothing stuck');
    const all = (await client.workflow.count(`TaskQueue = '${name}'`)).count;
    assert.equal(all, valid.length + invalid, 'one run per message: no duplicate, none missing');
    await connection.close();

    // Workers flush their last rows on SIGTERM.
    for (const p of [...workers, bridge]) {
      const exited = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGTERM');
      await exited;
    }
    const events = await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_events'));
    assert.equal(events.rows.length, valid.length, 'one event row per valid event');
    assert.deepEqual(new Set(events.rows.map((r) => r.event_id)), new Set(valid.map(xactEventId)));
    const inventory = await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_attachments'));
    assert.equal(inventory.rows.length, attachments);
    assert.equal(new Set(inventory.rows.map((r) => r.media_id)).size, attachments);
    for (const table of ['xact_events', 'xact_attachments']) {
      const { stdout } = await execFileAsync(
        process.execPath,
        [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'delta', 'verify', table, '--json'],
        { env: { ...process.env, ...env }, cwd: ROOT },
      );
      const report = JSON.parse(stdout) as { problems: string[]; rows: number };
      assert.deepEqual(report.problems, [], `delta verify ${table}`);
    }

    const admin = kafka.admin();
    await admin.connect();
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: name, topics: [topic] }),
    ]);
    await admin.disconnect();
    const done = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
    for (const e of ends) assert.equal(done.get(e.partition), e.high, `partition ${e.partition} committed to its end`);

    console.log(
      `      figures: ${kills.bridge} bridge and ${kills.worker} worker SIGKILLs in ${((lastKillAt - roundsStarted) / 1000).toFixed(0)} s; ` +
        `${valid.length} events + ${invalid} invalid messages; all settled ${drainedS.toFixed(1)} s after the last kill; ` +
        `0 lost, 0 duplicated, 0 stuck`,
    );
  });
});
