import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { toStartRequest } from '../../src/domains/xact/start';
import { DlqMonitor } from '../../src/dlq/dlq-monitor';
import { createLogger } from '../../src/observability/logger';
import { readWithDeltaRs } from '../support/delta-rs';
import { FUZZ_LONG, fuzzRecords, fuzzSeed } from '../support/fuzz';
import { type FuzzRecord, hostileRecords, PARTITIONS, randomRecords } from '../support/fuzz-records';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { committedAtEnd } from '../support/kafka-offsets';
import { ensureStack } from '../support/stack';
import { runCli } from '../support/cli';
import { gaugeByDomain } from '../support/gauges';

const MB = 1024 * 1024;

interface Outcome {
  readonly workflowId: string;
  readonly runId: string;
  readonly status: string;
}

/**
 * Fuzz on the real stack (issue 30 Deliver 2b): hostile and random records produced to a topic each end as exactly
 * one completed run or one DLQ entry, the group's committed offsets reach the end of every partition, the DLQ tools
 * work on what the batch left, and no secret parameter value is in any Delta table or CLI output.
 * FUZZ_SEED replays a batch (the seed is printed), FUZZ_RECORDS sets its size (see test/support/fuzz.ts).
 */
describe('fuzz: hostile and random Kafka records on the real stack', function () {
  this.timeout(1_800_000);
  const seed = fuzzSeed();
  const n = fuzzRecords(24, 400);
  let h: PipelineHarness;
  let scope: string;

  const cli = async (...args: string[]) => {
    const r = await runCli(['dlq', ...args], { LAKEHOUSE_DIR: h.lakehouse, TEMPORAL_TASK_QUEUE: h.config.taskQueue });
    return { code: r.code, out: r.stdout + r.stderr };
  };

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start(
      { RETRY_MAX_ATTEMPTS: '2', BREAKER_DOWNLOAD_FAILURE_THRESHOLD: '100000', BRIDGE_STUCK_PARTITION_S: '30' },
      { topicConfig: [{ name: 'max.message.bytes', value: String(8 * MB) }] },
    );
    scope = `TaskQueue = '${h.config.taskQueue}'`;
    console.log(`      fuzz-bridge: FUZZ_SEED=${seed} FUZZ_RECORDS=${n} (topic ${h.topic})`);
  });
  after(() => h?.stop());

  /** The Kafka coordinates a run was started for (every DLQ workflow's input carries them). */
  async function sourceOf(workflowId: string, runId: string): Promise<string> {
    const history = await h.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const data = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    const input = JSON.parse(Buffer.from(data ?? []).toString('utf8')) as {
      source?: { partition: number; offset: string };
    };
    return input.source ? `${input.source.partition}@${input.source.offset}` : `none:${workflowId}`;
  }

  /** Every closed run of this test's task queue by the record it was started for; the number still open. */
  async function outcomes(cache: Map<string, Outcome & { source: string }>): Promise<number> {
    let open = 0;
    for await (const wf of h.client.workflow.list({ query: scope })) {
      if (wf.status.name === 'RUNNING') open++;
      else if (!cache.has(wf.runId))
        cache.set(wf.runId, {
          workflowId: wf.workflowId,
          runId: wf.runId,
          status: wf.status.name,
          source: await sourceOf(wf.workflowId, wf.runId),
        });
    }
    return open;
  }

  /** What the first test left for the second: the batch, its runs and what the CLI printed so far. */
  let batch:
    | {
        ctx: string;
        coordinate: string[];
        hostileCount: number;
        runs: Map<string, Outcome & { source: string }>;
        listed: { items: { workflowId: string; traceId: string | null }[] };
        outputs: string[];
        secrets: string[];
      }
    | undefined;

  it('each message (an event: its trace id; else: its record) ends as one completed run or one DLQ entry; offsets reach the end; dlq list and stats count them', async () => {
    const secret = (i: number) => `ZsecretFixed${seed}x${i}`;
    // The topic's random part salts every trace id: replaying a seed makes fresh runs (see salted).
    const salt = h.topic.slice(-8);
    const hostileSet = hostileRecords(h.sample.url, h.topic, `fz${seed}-${salt}`, secret);
    const hostileCount = hostileSet.length;
    const records: FuzzRecord[] = [...hostileSet, ...randomRecords(`${h.sample.url}/files`, n, seed, salt)];
    const offsets = await h.produce(
      records.map(({ key, value, headers, partition }) => ({ key, value, headers, partition })),
    );
    const coordinate = records.map((r, i) => `${r.partition}@${offsets[i]}`);
    const what = new Map(coordinate.map((c, i) => [c, records[i]!.what]));
    const secrets = records.flatMap((r) => r.secrets);
    const ctx = `(FUZZ_SEED=${seed} FUZZ_RECORDS=${n})`;
    // What is one "message" of the rule: an event is its trace id (records repeating one are redeliveries, which
    // make no second run), anything else its own Kafka coordinates. The bridge's own decision says which it is.
    const groups = new Map<string, string[]>();
    records.forEach((r, i) => {
      const raw = {
        key: r.key === undefined ? null : Buffer.from(r.key),
        value: r.value,
        offset: offsets[i]!,
        timestamp: '0',
      };
      const req = toStartRequest(h.config, h.topic, r.partition, raw);
      const identity = req.kind === 'event' ? `event ${JSON.stringify(req.traceId)}` : `record ${coordinate[i]}`;
      groups.set(identity, [...(groups.get(identity) ?? []), coordinate[i]!]);
    });
    const describeGroup = (g: string[]) => g.map((c) => `${c} (${what.get(c)})`).join(', ');

    const runs = new Map<string, Outcome & { source: string }>();
    const runsOf = (g: string[]) => [...runs.values()].filter((r) => g.includes(r.source));
    const missing = () => [...groups.values()].filter((g) => runsOf(g).length === 0);
    await until(
      'every message has a closed run and none is open',
      async () => (await outcomes(runs)) === 0 && missing().length === 0,
      async () => `${ctx} no run yet for ${missing().map(describeGroup).join('; ')}`,
      600_000,
    );
    for (const g of groups.values()) {
      const mine = runsOf(g);
      assert.equal(mine.length, 1, `${ctx} ${describeGroup(g)}: ${mine.length} runs ${JSON.stringify(mine)}`);
      assert.ok(
        ['COMPLETED', 'FAILED'].includes(mine[0]!.status),
        `${ctx} ${describeGroup(g)} ended ${mine[0]!.status}`,
      );
    }
    assert.equal(runs.size, groups.size, `${ctx} a run for each message and no other`);
    await until(
      'the committed offsets reach the end of every partition',
      () => committedAtEnd(h.topic, h.config.consumerGroup, PARTITIONS),
      undefined,
      120_000,
    );

    // The DLQ tools, on exactly the entries the batch left.
    const failed = [...runs.values()].filter((r) => r.status === 'FAILED');
    const list = await cli('list', '--query', scope, '--json', '--limit', '100000');
    assert.equal(list.code, 0, `${ctx} dlq list: ${list.out.slice(0, 2000)}`);
    const listed = JSON.parse(list.out) as { depth: number; items: { workflowId: string; traceId: string | null }[] };
    assert.equal(listed.depth, failed.length, ctx);
    const plain = await cli('list', '--query', scope);
    assert.equal(plain.code, 0, `${ctx} dlq list: ${plain.out.slice(0, 2000)}`);
    const stats = await cli('stats', '--query', scope, '--json');
    assert.equal(stats.code, 0, `${ctx} dlq stats: ${stats.out.slice(0, 2000)}`);
    assert.equal((JSON.parse(stats.out) as { depth: number }).depth, failed.length, ctx);
    const outputs = [list.out, plain.out, stats.out];
    batch = { ctx, coordinate, hostileCount, runs, listed, outputs, secrets };
  });

  it('dlq view shows each entry, the DLQ monitor archives all, and no secret parameter is in any Delta table or CLI output', async () => {
    assert.ok(batch, 'the batch of the test before');
    const { ctx, coordinate, hostileCount, runs, listed, outputs, secrets } = batch;
    // Each DLQ entry of a hostile record is viewed (--json), the first few also as text; the long run views every
    // hostile entry both ways and 20 others as well (each view is a CLI process of a few seconds).
    const sourceOfRun = new Map([...runs.values()].map((r) => [r.workflowId, r.source]));
    const hostile = new Set(coordinate.slice(0, hostileCount));
    const isHostile = (i: { workflowId: string }) => hostile.has(sourceOfRun.get(i.workflowId) ?? '');
    const viewed = [
      ...listed.items.filter(isHostile),
      ...listed.items.filter((i) => !isHostile(i)).slice(0, FUZZ_LONG ? 20 : 0),
    ];
    // Long trace ids sharing the start their search attribute keeps show the same trace id: that one is ambiguous
    // (dlq view names the entries it could mean, exit 2), each is viewed by its workflow id.
    const entriesOfTrace = new Map<string, string[]>();
    for (const i of listed.items)
      if (i.traceId !== null) entriesOfTrace.set(i.traceId, [...(entriesOfTrace.get(i.traceId) ?? []), i.workflowId]);
    for (const [trace, ids] of entriesOfTrace) {
      if (ids.length < 2 || trace.includes('\u0000')) continue;
      const view = await cli('view', trace);
      assert.equal(view.code, 2, `${ctx} dlq view of a shared trace id: ${view.out.slice(0, 2000)}`);
      for (const id of ids) assert.ok(view.out.includes(id), `${ctx} the ambiguity names ${id}`);
    }
    for (const [k, item] of viewed.entries()) {
      const shared = item.traceId !== null && entriesOfTrace.get(item.traceId)!.length > 1;
      const id = item.traceId === null || shared ? item.workflowId : item.traceId;
      if (id.includes('\u0000')) continue; // a process argument cannot hold NUL: no operator can type this id
      for (const args of FUZZ_LONG || k < 2 ? [[id, '--json'], [id]] : [[id, '--json']]) {
        const view = await cli('view', ...args);
        assert.equal(view.code, 0, `${ctx} dlq view ${JSON.stringify(id)}: ${view.out.slice(0, 2000)}`);
        outputs.push(view.out);
      }
    }

    // The DLQ monitor (each refresh archives up to a bounded number of entries) leaves none unarchived.
    const registry = new Registry();
    const monitor = new DlqMonitor(registry, h.dlqService(), createLogger('bridge', { level: 'error' }), {
      query: scope,
    });
    await until(
      'the DLQ monitor archived every entry',
      async () => {
        await monitor.refresh();
        return Object.values(await gaugeByDomain(registry, 'pipeline_dlq_unarchived')).every((v) => v === 0);
      },
      async () => `${ctx} unarchived ${JSON.stringify(await gaugeByDomain(registry, 'pipeline_dlq_unarchived'))}`,
      300_000,
    );

    // No secret parameter value in any Delta table of the lakehouse or in what the CLI printed.
    for (const table of deltaTables(h.lakehouse)) {
      const rows = JSON.stringify((await readWithDeltaRs(table)).rows);
      for (const s of secrets) assert.ok(!rows.includes(s), `${ctx} ${path.relative(h.lakehouse, table)} holds ${s}`);
    }
    for (const out of outputs) for (const s of secrets) assert.ok(!out.includes(s), `${ctx} CLI output holds ${s}`);
    assert.ok(deltaTables(h.lakehouse).length >= 3, 'events, attachments and the DLQ archive were read');
  });
});

/** Every Delta table (a folder with a _delta_log) under `root`. */
function deltaTables(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isDirectory() && e.name === '_delta_log')) return void found.push(dir);
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  walk(root);
  return found;
}
