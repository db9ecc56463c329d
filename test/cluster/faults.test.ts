import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { sampleEvent } from '../../src/domains/xact/sample';
import { xactWorkflowId } from '../../src/shared/ids';
import {
  clusterKafka,
  clusterPipelineEnv,
  clusterScript,
  clusterTemporal,
  createClusterTopics,
  ensureCluster,
  runStatuses,
} from '../support/cluster';
import { readWithDeltaRs } from '../support/delta-rs';
import { freePort } from '../support/free-port';
import { until } from '../support/poll';
import {
  startPipelineProcess,
  stopPipelineProcess,
  type PipelineCommand,
  type PipelineProcess,
} from '../support/processes';

const EVENTS = Number(process.env.CLUSTER_FAULT_EVENTS ?? 240);
const RATE = 12; // events/s produced: the fault lands while events are still arriving
const PARTITIONS = 6;

/** What one drill measured (docs/reliability.md, "On the cluster"). */
interface DrillResult {
  readonly fault: string;
  readonly events: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly stuck: number;
  /** The longest time without a completed run from the start of the fault on: the pause it caused. */
  readonly pauseS: number;
  /** From the end of the fault (the server back, or the process killed) to the next completed run; 0 if none was due. */
  readonly recoveryS: number;
}

/**
 * The fault matrix on the cluster profile (issue 34 item 3), `npm run test:cluster:faults`: a burst of xact events
 * through the pipeline while one part of the cluster fails — the leader broker of the busiest partition killed, PostgreSQL
 * stopped for 30 s, the Temporal server restarted, one of two workers and one of two bridges killed. Each drill: every
 * event once in xact_events (delta-rs), every run completed, and the time until runs complete again.
 */
describe('the fault matrix on the cluster (npm run test:cluster:faults)', function () {
  this.timeout(1_800_000);
  let cluster: Record<string, string>;
  let kafka: Kafka;
  let temporal: { connection: Connection; client: Client };
  let files: FileServerStandin;
  const results: DrillResult[] = [];

  before(async () => {
    cluster = await ensureCluster();
    kafka = clusterKafka(cluster);
    temporal = await clusterTemporal(cluster);
    files = await startFileServerStandin();
  });
  after(async () => {
    await temporal?.connection.close();
    await files?.close();
    console.log(`\n  cluster fault drills (${EVENTS} events at ${RATE}/s each):`);
    for (const r of results)
      console.log(
        `    ${r.fault}: lost ${r.lost}, duplicated ${r.duplicated}, stuck ${r.stuck}; longest pause ${r.pauseS} s, ` +
          `next completion ${r.recoveryS} s after the fault ended`,
      );
  });

  /**
   * Starts the processes, produces the burst, runs `fault` once a third of it is produced (it returns when the fault
   * is over: the server back or the process killed), waits for every run, and checks the tables.
   */
  async function drill(
    fault: string,
    processes: readonly PipelineCommand[],
    inject: (ctx: { procs: PipelineProcess[]; topic: string }) => Promise<void>,
  ): Promise<DrillResult> {
    const name = `faults-${randomUUID().slice(0, 8)}`;
    const lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-cluster-faults-'));
    const env = clusterPipelineEnv(cluster, name, lakehouse, { BREAKER_OPEN_S: '2' });
    await createClusterTopics(kafka, [env.XACT_EVENTS_TOPIC], PARTITIONS);
    const procs: PipelineProcess[] = [];
    try {
      for (const cmd of processes)
        procs.push(await startPipelineProcess(cmd, { ...env, METRICS_PORT: String(await freePort()) }));
      const events = Array.from({ length: EVENTS }, (_, i) =>
        sampleEvent(i, { sampleUrl: files.url, attachments: 1, bytes: 2_000 }),
      );
      const ids = events.map((e) => xactWorkflowId(String(e.traceId)));
      const completions: number[] = [];
      let counted = 0;
      let watching = true;
      const watch = (async () => {
        while (watching) {
          const n = await temporal.client.workflow
            .count(`TaskQueue = '${name}' AND ExecutionStatus = 'Completed'`)
            .then((c) => c.count)
            .catch(() => counted); // visibility is down with PostgreSQL
          if (n > counted) completions.push(Date.now());
          counted = Math.max(counted, n);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();

      // A producer that outlasts a leader election: the controller notices a dead broker only after its session
      // timeout (broker.session.timeout.ms, 9 s), longer than kafkajs's default retries wait.
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        retry: { retries: 20, maxRetryTime: 3_000 },
      });
      await producer.connect();
      let faultStart = 0;
      let faultOver = 0;
      let faultRun: Promise<void> | undefined;
      try {
        for (let i = 0; i < events.length; i++) {
          if (i === Math.floor(events.length / 3)) {
            faultStart = Date.now();
            faultRun = inject({ procs, topic: env.XACT_EVENTS_TOPIC }).then(() => {
              faultOver = Date.now();
            });
            faultRun.catch(() => undefined); // awaited below; a failure must not surface in another test
          }
          const e = events[i]!;
          await producer.send({
            topic: env.XACT_EVENTS_TOPIC,
            acks: -1,
            messages: [{ key: String(e.traceId), value: JSON.stringify(e) }],
          });
          await new Promise((r) => setTimeout(r, 1000 / RATE));
        }
      } finally {
        // The fault is over (the server back) before anything else happens, whatever failed: a drill never leaves
        // PostgreSQL or a broker stopped behind it.
        await Promise.allSettled([faultRun, producer.disconnect()]);
      }
      await faultRun;

      const statuses = () => runStatuses(temporal.client, ids);
      const open = async () => (await statuses()).filter((s) => s !== 'COMPLETED').length;
      await until(
        'every run completed',
        async () => (await open()) === 0,
        async () => `${await open()} not completed`,
        600_000,
      ).catch(
        () => undefined, // counted as stuck below
      );
      watching = false;
      await watch;
      const stuck = await open();
      const rows = (await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_events'))).rows.map((r) =>
        String(r.trace_id),
      );
      const produced = new Set(events.map((e) => String(e.traceId)));
      const next = completions.find((t) => t >= faultOver);
      const after = [faultStart, ...completions.filter((t) => t > faultStart)];
      const pause = after.slice(1).reduce((m, t, k) => Math.max(m, t - after[k]!), 0);
      const result: DrillResult = {
        fault,
        events: EVENTS,
        lost: [...produced].filter((t) => !rows.includes(t)).length,
        duplicated: rows.length - new Set(rows).size,
        stuck,
        pauseS: Math.round(pause / 100) / 10,
        recoveryS: next === undefined ? 0 : Math.round((next - faultOver) / 100) / 10,
      };
      results.push(result);
      return result;
    } finally {
      for (const p of procs) await stopPipelineProcess(p, 30_000);
      fs.rmSync(lakehouse, { recursive: true, force: true });
    }
  }

  const ok = (r: DrillResult) => assert.deepEqual([r.lost, r.duplicated, r.stuck], [0, 0, 0], JSON.stringify(r));

  it('the leader broker of the busiest partition killed mid-burst (restarted after 20 s)', async () => {
    const r = await drill('leader broker killed', ['worker', 'bridge'], async ({ topic }) => {
      const admin = kafka.admin();
      await admin.connect();
      let leader: number;
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        const busiest = offsets.reduce((a, b) => (Number(b.high) > Number(a.high) ? b : a));
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        leader = meta.topics[0]!.partitions.find((p) => p.partitionId === busiest.partition)!.leader;
      } finally {
        await admin.disconnect();
      }
      await clusterScript('stop', `kafka-${leader}`, '--kill');
      await new Promise((r) => setTimeout(r, 20_000)); // the broker down for a while, not a blip
      await clusterScript('up');
    });
    ok(r);
  });

  it('PostgreSQL stopped for 30 s mid-burst', async () => {
    const r = await drill('PostgreSQL down 30 s', ['worker', 'bridge'], async () => {
      await clusterScript('stop', 'postgres');
      await new Promise((r) => setTimeout(r, 30_000));
      await clusterScript('up');
    });
    ok(r);
  });

  it('the Temporal server restarted mid-burst', async () => {
    const r = await drill('Temporal server restarted', ['worker', 'bridge'], async () => {
      await clusterScript('stop', 'temporal');
      await clusterScript('up');
    });
    ok(r);
  });

  it('two workers and two bridges, one of each killed mid-burst', async () => {
    const r = await drill(
      'one of two workers and bridges killed',
      ['worker', 'worker', 'bridge', 'bridge'],
      async ({ procs }) => {
        const worker = procs.find((p) => p.command === 'worker')!;
        const bridge = procs.find((p) => p.command === 'bridge')!;
        worker.child.kill('SIGKILL');
        bridge.child.kill('SIGKILL');
        await Promise.all([worker, bridge].map((p) => new Promise((r) => p.child.once('exit', r))));
      },
    );
    ok(r);
  });
});
