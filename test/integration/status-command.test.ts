import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { startOpsServer, type OpsServer } from '../../src/observability/http-server';
import { xactWorkflowId } from '../../src/shared/ids';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { createTopic, ensureStack, KAFKA_BROKER, ROOT } from '../support/stack';

const run = promisify(execFile);

interface StatusJson {
  temporal: { reachable: boolean };
  kafka: { reachable: boolean };
  consumer: { group: string; members: number; totalLag: number; partitions: unknown[] } | null;
  otherDomains?: { topic: string; group: string; members: number }[];
  workflows: { open: number; startedLastMinute: number } | null;
  processes: { name: string; ready: boolean | null; breakers: Record<string, string> }[];
  tables: { name: string; version: number | null; ageSeconds: number | null }[];
  problems: string[];
  healthy: boolean;
}

describe('kafka-pipeline status', function () {
  this.timeout(300_000);
  let h: PipelineHarness;
  let bridgeOps: OpsServer;
  let workerOps: OpsServer;
  let monitorOps: OpsServer;
  let workerReady = false;
  const claimx = { topic: `claimx.status-${randomUUID().slice(0, 8)}`, group: `claimx-status-${randomUUID()}` };

  const status = async (...args: string[]) => {
    const env = {
      ...process.env,
      XACT_EVENTS_TOPIC: h.topic,
      XACT_CONSUMER_GROUP: h.config.consumerGroup,
      CLAIMX_EVENTS_TOPIC: claimx.topic,
      CLAIMX_CONSUMER_GROUP: claimx.group,
      TEMPORAL_TASK_QUEUE: h.config.taskQueue,
      LAKEHOUSE_DIR: h.lakehouse,
    };
    try {
      const r = await run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'status', ...args], { env });
      return { code: 0, stdout: r.stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout + e.stderr };
    }
  };

  /** The --bridge, --worker and --dlq-monitor flags pointing at the test's ops servers. */
  const processUrls = () => [
    '--bridge',
    `http://127.0.0.1:${bridgeOps.port}`,
    '--worker',
    `http://127.0.0.1:${workerOps.port}`,
    '--dlq-monitor',
    `http://127.0.0.1:${monitorOps.port}`,
  ];

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start();
    // The harness's bridge metrics behind a real ops server; a worker endpoint whose readiness the test decides.
    bridgeOps = await startOpsServer(0, h.registry, () => Promise.resolve([]));
    workerOps = await startOpsServer(0, h.registry, () =>
      Promise.resolve(workerReady ? [] : ['worker state is DRAINING']),
    );
    monitorOps = await startOpsServer(0, h.registry, () => Promise.resolve([]));
  });
  after(async () => {
    await Promise.allSettled([bridgeOps?.close(), workerOps?.close(), monitorOps?.close()]);
    await h?.stop();
  });

  it('reports lag, starts, tables and process health as JSON, and exits 1 while a process is not ready', async () => {
    const traces = [1, 2, 3].map(() => `status-${randomUUID()}`);
    await h.produceEvents(
      traces.map((traceId, i) => ({ ...h.eventWith(i, [`${h.sample.url}/files/status/doc${i}.pdf`]), traceId })),
    );
    await h.waitFor(traces.map(xactWorkflowId));
    const urls = processUrls();

    const notReady = await status('--json', ...urls);
    assert.equal(notReady.code, 1, notReady.stdout);
    const s = JSON.parse(notReady.stdout) as StatusJson;
    assert.ok(s.temporal.reachable && s.kafka.reachable);
    assert.equal(s.consumer?.group, h.config.consumerGroup);
    assert.ok((s.consumer?.members ?? 0) >= 1, 'the harness bridge is a member');
    assert.equal(s.consumer?.partitions.length, 6);
    assert.ok((s.workflows?.startedLastMinute ?? 0) >= 3, JSON.stringify(s.workflows));
    const events = s.tables.find((t) => t.name === 'xact_events')!;
    assert.ok(events.version !== null && events.version >= 1 && events.ageSeconds !== null && events.ageSeconds < 300);
    assert.deepEqual(
      s.processes.map((p) => [p.name, p.ready]),
      [
        ['bridge', true],
        ['worker', false],
        ['dlq-monitor', true],
      ],
    );
    assert.equal(s.processes[0]!.breakers.temporal, 'closed');
    assert.deepEqual(
      s.problems.filter((p) => !p.startsWith('dlq:')),
      ['worker: not ready: worker state is DRAINING'],
    );

    workerReady = true;
    await until('the consumer lag is read as 0', async () => {
      const r = JSON.parse((await status('--json', ...urls)).stdout) as StatusJson;
      return r.consumer?.totalLag === 0;
    });
    const ready = await status(...urls);
    const dlqProblem = /^ {2}- dlq:/m.test(ready.stdout);
    assert.equal(ready.code, dlqProblem ? 1 : 0, ready.stdout);
    assert.match(ready.stdout, /^Consumer +.* Stable, \d+ member\(s\), lag 0$/m);
    assert.match(ready.stdout, /^Worker +http:\/\/127\.0\.0\.1:\d+ {2}ready/m);
    assert.match(ready.stdout, /^DLQ monitor +http:\/\/127\.0\.0\.1:\d+ {2}ready/m);

    const gone = await status(
      '--json',
      '--bridge',
      'http://127.0.0.1:9',
      '--worker',
      `http://127.0.0.1:${workerOps.port}`,
      '--dlq-monitor',
      'http://127.0.0.1:7',
    );
    assert.equal(gone.code, 1);
    const goneProblems = (JSON.parse(gone.stdout) as StatusJson).problems;
    assert.ok(goneProblems.includes('bridge: not answering at http://127.0.0.1:9'), goneProblems.join('\n'));
    assert.ok(goneProblems.includes('dlq-monitor: not answering at http://127.0.0.1:7'), goneProblems.join('\n'));
  });

  it("shows the other domain's consumer group once it is in use, and a problem while it has no member", async () => {
    const urls = processUrls();
    workerReady = true;
    await createTopic(claimx.topic, 2);
    const unused = JSON.parse((await status('--json', ...urls)).stdout) as StatusJson;
    assert.deepEqual(unused.otherDomains, [], 'a group that never consumed is not shown');

    // A claimx bridge that consumed and is gone: the group has committed offsets and no member.
    const admin = new Kafka({ brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: claimx.group,
        topic: claimx.topic,
        partitions: [{ partition: 0, offset: '0' }],
      });
    } finally {
      await admin.disconnect();
    }
    const r = await status('--json', ...urls);
    assert.equal(r.code, 1, r.stdout);
    const s = JSON.parse(r.stdout) as StatusJson;
    assert.deepEqual(
      s.otherDomains?.map((c) => [c.topic, c.group, c.members]),
      [[claimx.topic, claimx.group, 0]],
    );
    assert.ok(s.problems.includes(`kafka: consumer group ${claimx.group} has no member (is its bridge running?)`));
    const text = await status(...urls);
    assert.match(text.stdout, new RegExp(`^Consumer +${claimx.topic.replace(/\./g, '\\.')} / ${claimx.group}: `, 'm'));
  });
});
