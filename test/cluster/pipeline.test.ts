import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import type { Client } from '@temporalio/client';
import { startClaimxApiStandin, type ClaimxApiStandin } from '../../dev/claimx-api-standin';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { sampleClaimxEvent } from '../../src/domains/claimx/sample';
import { decodeClaimxEvent } from '../../src/shared/claimx-event';
import { sampleEvent } from '../../src/domains/xact/sample';
import { claimxWorkflowId, xactWorkflowId } from '../../src/shared/ids';
import { runCli } from '../support/cli';
import {
  clusterKafka,
  clusterPipelineEnv,
  clusterTemporal,
  createClusterTopics,
  ensureCluster,
  runStatuses,
} from '../support/cluster';
import { readWithDeltaRs } from '../support/delta-rs';
import { freePort } from '../support/free-port';
import { until } from '../support/poll';
import { startPipelineProcess, stopPipelineProcess, type PipelineProcess } from '../support/processes';

const TOKEN = 'cluster-test-token';
const FAILING = 4; // xact events whose attachment answers 404: DLQ entries

/**
 * The pipeline on the cluster profile (issue 34): the Temporal server on PostgreSQL with SQL visibility, 8 history
 * shards and mTLS; three Kafka brokers with replication factor 3 over SASL_SSL. The processes connect through their
 * normal configuration keys (.state/cluster/pipeline.env), nothing else.
 */
describe('the pipeline on the production-shaped cluster (npm run test:cluster)', function () {
  this.timeout(900_000);
  const id = randomUUID().slice(0, 8);
  const queue = `cluster-${id}`;
  let cluster: Record<string, string>;
  let env: ReturnType<typeof clusterPipelineEnv>;
  let kafka: Kafka;
  let temporal: { connection: Connection; client: Client };
  let files: FileServerStandin;
  let api: ClaimxApiStandin;
  let lakehouse: string;
  const procs: PipelineProcess[] = [];
  const tail = async () => procs.map((p) => `${p.command}: ${p.output.slice(-8).join('\n')}`).join('\n');

  before(async () => {
    cluster = await ensureCluster();
    files = await startFileServerStandin();
    api = await startClaimxApiStandin({ token: TOKEN });
    lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-cluster-'));
    env = clusterPipelineEnv(cluster, queue, lakehouse, {
      CLAIMX_API_URL: api.url,
      CLAIMX_API_TOKEN: TOKEN,
      DLQ_METRICS_INTERVAL_S: '2', // the DLQ monitor archives new entries this often
    });
    kafka = clusterKafka(env);
    await createClusterTopics(kafka, [env.XACT_EVENTS_TOPIC, env.CLAIMX_EVENTS_TOPIC], 3);
    temporal = await clusterTemporal(env);
  });
  after(async () => {
    for (const p of procs) await stopPipelineProcess(p, 30_000);
    await temporal?.connection.close();
    await files?.close();
    await api?.close();
    if (lakehouse) fs.rmSync(lakehouse, { recursive: true, force: true });
  });

  it('is the shape production runs: topics on 3 brokers with min.insync.replicas 2, 8 history shards, mTLS, the Web UI', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [env.XACT_EVENTS_TOPIC!] });
      assert.deepEqual(
        meta.topics[0]!.partitions.map((p) => [...p.replicas].sort()),
        [
          [1, 2, 3],
          [1, 2, 3],
          [1, 2, 3],
        ],
      );
      // The broker kafkajs asks may not know a topic created moments ago ("does not host this topic-partition"):
      // asked again until it answers.
      let minIsr: string | undefined;
      let refused = '';
      await until(
        'a broker describes the topic',
        async () => {
          try {
            const configs = await admin.describeConfigs({
              includeSynonyms: false,
              resources: [
                { type: ConfigResourceTypes.TOPIC, name: env.XACT_EVENTS_TOPIC!, configNames: ['min.insync.replicas'] },
              ],
            });
            minIsr = configs.resources[0]!.configEntries[0]!.configValue;
            return true;
          } catch (err) {
            refused = String(err);
            return false;
          }
        },
        async () => refused,
        30_000,
      );
      assert.equal(minIsr, '2');
    } finally {
      await admin.disconnect();
    }
    const info = await temporal.connection.workflowService.getClusterInfo({});
    assert.equal(info.historyShardCount, 8);
    assert.equal(info.persistenceStore, 'postgres12');
    assert.equal(info.visibilityStore, 'postgres12');
    // The Web UI reaches the frontend over mTLS and lists the pipeline's namespace.
    const ui = (await (await fetch(`${cluster.TEMPORAL_UI_URL}/api/v1/namespaces`)).json()) as {
      namespaces: { namespaceInfo: { name: string } }[];
    };
    assert.ok(ui.namespaces.some((n) => n.namespaceInfo.name === cluster.TEMPORAL_NAMESPACE));

    // Without the client certificate the frontend refuses the connection; without SASL the brokers do.
    const noCert = await Connection.connect({
      address: cluster.TEMPORAL_ADDRESS!,
      tls: { serverRootCACertificate: fs.readFileSync(cluster.TEMPORAL_TLS_CA!) },
      connectTimeout: 5_000,
    }).then(
      async (c) => {
        try {
          await c.withDeadline(Date.now() + 5_000, () => c.healthService.check({}));
          return 'served';
        } catch {
          return 'refused';
        } finally {
          await c.close();
        }
      },
      () => 'refused',
    );
    assert.equal(noCert, 'refused');
    const plain = new Kafka({
      clientId: 'cluster-test-plain',
      brokers: cluster.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 0 },
    }).admin();
    await assert.rejects(async () => {
      await plain.connect();
      await plain.listTopics();
    });
    await plain.disconnect();
  });

  it('xact and claimx events end to end over mTLS and SASL_SSL: each once in the tables; the DLQ archived, replayed (one, bulk) and resolved', async () => {
    for (const [cmd, extra] of [
      ['worker', {}],
      ['bridge', {}],
      ['bridge', { BRIDGE_DOMAIN: 'claimx' }],
      ['dlq-monitor', {}],
    ] as const) {
      procs.push(await startPipelineProcess(cmd, { ...env, ...extra, METRICS_PORT: String(await freePort()) }));
    }
    const xact = Array.from({ length: 12 }, (_, i) =>
      sampleEvent(i, { sampleUrl: files.url, attachments: 1 + (i % 2), bytes: 4_000, failRate: i < FAILING ? 1 : 0 }),
    );
    const claimx = Array.from({ length: 6 }, (_, i) => sampleClaimxEvent(i, { projectBase: 5_000_000 }));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({
        topic: env.XACT_EVENTS_TOPIC!,
        acks: -1,
        messages: xact.map((e) => ({ key: String(e.traceId), value: JSON.stringify(e) })),
      });
      await producer.send({
        topic: env.CLAIMX_EVENTS_TOPIC!,
        acks: -1,
        messages: claimx.map((e) => ({ key: String(e.project_id ?? e.projectId), value: JSON.stringify(e) })),
      });
    } finally {
      await producer.disconnect();
    }

    const ids = [
      ...xact.map((e) => xactWorkflowId(String(e.traceId))),
      ...claimx.map((e) => {
        const decoded = decodeClaimxEvent(JSON.stringify(e));
        assert.ok(decoded.ok);
        return claimxWorkflowId(decoded.event.eventId);
      }),
    ];
    const statuses = () => runStatuses(temporal.client, ids);
    await until(
      'every run closed',
      async () => (await statuses()).every((s) => s === 'COMPLETED' || s === 'FAILED'),
      async () => `${(await statuses()).join(' ')}\n${await tail()}`,
    );
    const status = await statuses();
    assert.deepEqual(
      status.map((s, i) => [ids[i], s]),
      ids.map((wf, i) => [wf, i < FAILING ? 'FAILED' : 'COMPLETED']),
    );

    const events = (await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_events'))).rows;
    const traces = events.map((r) => String(r.trace_id)).sort();
    assert.deepEqual(traces, xact.map((e) => String(e.traceId)).sort(), 'each xact event once');

    // The DLQ on SQL visibility: archived by the monitor, listed, viewed; one replayed with its URL fixed, one
    // resolved, two replayed in bulk (a reset of each run, on a multi-shard history) and failing again.
    const failed = xact.slice(0, FAILING).map((e) => String(e.traceId));
    const archived = async () =>
      (await readWithDeltaRs(path.join(lakehouse, 'Tables', 'pipeline_dlq'))).rows
        .map((r) => String(r.workflow_id))
        .filter((wf) => failed.some((t) => xactWorkflowId(t) === wf));
    await until(
      'the DLQ monitor archived every entry',
      async () => new Set(await archived().catch(() => [])).size === FAILING,
      async () => `${(await archived().catch(() => [])).length} archived\n${await tail()}`,
    );
    const scope = `TaskQueue = '${queue}'`;
    const dlq = async (...args: string[]) => {
      const r = await runCli(['dlq', ...args], { ...env, USER: 'cluster-test' });
      assert.equal(r.code, 0, `dlq ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    type Listed = { depth: number; items: { traceId: string; category: string; stage: string; replays: number }[] };
    const list = async () => JSON.parse(await dlq('list', '--query', scope, '--json')) as Listed;
    const listed = await list();
    assert.deepEqual(
      listed.items.map((i) => [i.traceId, i.category, i.stage]).sort(),
      failed.map((t) => [t, 'permanent', 'download']).sort(),
    );
    const [first, second, ...bulk] = failed;
    assert.match(await dlq('view', first!), /Failure chain:/);
    const failedUrl = (xact[0]!.data as { attachments: string[] }).attachments[0]!;
    const fixedUrl = failedUrl.replace('/status/404/', '/files/');
    assert.match(
      await dlq('replay', first!, '--set-url', `${failedUrl}=${fixedUrl}`, '--wait', '--reason', 'cluster test'),
      /outcome: completed/,
    );
    await dlq('resolve', second!, '--reason', 'cluster test: not wanted');
    await dlq(
      'replay',
      '--all',
      '--yes',
      '--query',
      `${scope} AND TraceId IN ('${bulk.join("', '")}')`,
      '--reason',
      'bulk',
    );
    await until(
      'the bulk-replayed runs failed again, each listed once with one replay',
      async () => {
        const l = await list();
        return l.depth === 2 && l.items.every((i) => bulk.includes(i.traceId) && i.replays === 1);
      },
      async () => JSON.stringify((await list()).items),
    );
    for (const t of bulk) await dlq('resolve', t, '--reason', 'cluster test: still 404');
    assert.equal((JSON.parse(await dlq('list', '--query', scope, '--json')) as { depth: number }).depth, 0);
  });
});
