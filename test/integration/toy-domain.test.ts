import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { readTable } from '@kafka-pipeline/delta-lake';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { viewText } from '../../src/cli/dlq/dlq-format';
import { registerDomain, traceIdOf, workflowIdCandidates } from '../../src/domains/registry';
import { maintainedTables } from '../../src/maintenance/tables';
import { invalidMessageWorkflowId } from '../../src/shared/ids';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack, TEMPORAL_ADDRESS } from '../support/stack';
import { createToyActivities } from '../support/toy-domain/activities';
import { TOY, TOY_EVENTS, TOY_TABLE_PATH, toyDomain } from '../support/toy-domain';

/**
 * Issue 33: a third domain is one folder (test/support/toy-domain) and one registration. Its messages go through the
 * real bridge (decoder, large-event policy, DLQ entry of a bad message) to completed runs of its own workflow, and
 * the shared tools (ids, tables) know it without a line of theirs changed.
 */
describe('a toy third domain, registered in one line, runs through the bridge', function () {
  this.timeout(240_000);
  let h: PipelineHarness;
  let unregister: () => void;
  let worker: Worker;
  let connection: NativeConnection;
  let run: Promise<void>;
  const outcomes: string[] = [];
  const run8 = randomUUID().slice(0, 8); // ids of this run only: Temporal keeps closed runs of earlier test runs
  const first = `first-${run8}`;
  const large = `large-${run8}`;
  const failing = `failing-${run8}`;

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({}, { bridge: false, worker: false, domain: TOY });
    unregister = registerDomain(toyDomain({ topic: h.topic, group: `toy-${randomUUID().slice(0, 8)}` }));
    connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
    worker = await Worker.create({
      connection,
      taskQueue: h.config.taskQueue,
      workflowsPath: require.resolve('../support/toy-domain/workflows'),
      activities: createToyActivities(new LocalObjectStore(h.lakehouse)),
      sinks: {
        outcomes: {
          completed: { fn: (_info, domain: string) => void outcomes.push(`${domain} completed`) },
          failed: { fn: (_info, domain: string) => void outcomes.push(`${domain} failed`) },
        },
      },
    });
    run = worker.run();
    await h.startBridge();
  });

  after(async () => {
    await h?.bridge?.stop();
    worker?.shutdown();
    await run;
    await connection?.close();
    unregister?.();
    await h?.stop();
  });

  it('an event completes its run and writes its row; a large one is sent lean; a bad one is a toy DLQ entry', async () => {
    const big = 'n'.repeat(2 * h.config.bridgeMaxInputBytes);
    const offsets = await h.produce([
      { value: JSON.stringify({ id: first, note: 'hello' }), partition: 0 },
      { value: JSON.stringify({ id: large, note: big }), partition: 0 },
      { value: 'not json', partition: 0 },
      { value: JSON.stringify({ id: failing, note: 'fail' }), partition: 0 },
    ]);
    const badId = invalidMessageWorkflowId({ topic: h.topic, partition: 0, offset: offsets[2]!, timestamp: '' }, TOY);
    const runs = await h.waitFor([`toy-${first}`, `toy-${large}`, badId, `toy-${failing}`]);

    assert.equal(runs.get(`toy-${first}`)?.status, 'completed');
    assert.deepEqual(runs.get(`toy-${first}`)?.result, { written: 1 });
    assert.deepEqual(runs.get(`toy-${first}`)?.searchAttributes[SEARCH_ATTRIBUTES.domain.name], [TOY]);
    assert.equal(runs.get(`toy-${large}`)?.status, 'completed');
    assert.equal(runs.get(badId)?.status, 'failed');
    assert.equal(runs.get(badId)?.failureType, 'InvalidEvent');
    assert.match(runs.get(badId)?.message ?? '', /not JSON/);
    assert.deepEqual(runs.get(badId)?.searchAttributes[SEARCH_ATTRIBUTES.domain.name], [TOY]);
    // Sinks run once the worker has completed the activation, which can be just after the client saw the result.
    await until(
      'the worker reported the four outcomes',
      async () => outcomes.length >= 4,
      async () => outcomes.join(', '),
      30_000,
    );
    assert.deepEqual(outcomes.sort(), ['toy completed', 'toy completed', 'toy failed', 'toy failed']);

    const rows = await readTable(new LocalObjectStore(h.lakehouse), TOY_TABLE_PATH, TOY_EVENTS);
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.deepEqual([...byId.keys()].sort(), [first, large].sort());
    assert.equal(byId.get(first)?.note, 'hello');
    assert.equal(byId.get(large)?.note, null, 'the large event was sent without its note');
  });

  it('the DLQ tools list its failed run and its invalid message, by domain, with its trace id', async () => {
    const dlq = h.dlqService();
    const mine = `TaskQueue = '${h.config.taskQueue}'`;
    const seen = async () => (await dlq.entries({ domain: TOY, query: mine })).map((e) => `${e.kind} ${e.traceId}`);
    // Visibility is eventually consistent: a closed run shows in list queries shortly after it closed.
    await until(
      'both toy entries are listed',
      async () => (await seen()).length >= 2,
      async () => String(await seen()),
    );
    assert.deepEqual((await seen()).sort(), [`event ${failing}`, 'invalid null']);
    const { entry, run, audit } = await dlq.view(failing);
    assert.equal(entry.workflowId, `toy-${failing}`);
    assert.match(
      viewText(entry, run, audit),
      new RegExp(`Event:\\n\\{\\n  "id": "${failing}",\\n  "note": "fail"\\n\\}`),
    );
  });

  it('the shared tools know the toy domain: its ids and its table', () => {
    assert.equal(traceIdOf(`toy-${first}`), first);
    assert.ok(workflowIdCandidates(first).includes(`toy-${first}`));
    assert.equal(maintainedTables(h.config).get('toy_events')?.path, TOY_TABLE_PATH);
  });
});
