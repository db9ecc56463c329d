import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import type { IngestSummary } from '../../src/shared/pipeline-types';
import { DlqMonitor } from '../../src/dlq/dlq-monitor';
import { createLogger } from '../../src/observability/logger';
import { xactWorkflowId } from '../../src/shared/ids';
import { queryMatchable, queryString } from '../../src/shared/visibility-query';
import { readWithDeltaRs } from '../support/delta-rs';
import { runCli } from '../support/cli';
import { gaugeByDomain } from '../support/gauges';
import { PipelineHarness } from '../support/pipeline-harness';
import { ensureStack } from '../support/stack';

/**
 * Issue 30 items 3 and 4 on the real stack: trace ids that end in a backslash, hold quotes, or are long runs of
 * multi-byte characters still make one run or one DLQ entry each, and every DLQ tool keeps working while they exist.
 */
describe('DLQ tools with hostile trace ids (quotes, trailing backslash, 100+ emoji)', function () {
  this.timeout(600_000);
  let h: PipelineHarness;
  let scope: string;

  const cli = (...args: string[]) =>
    runCli(['dlq', ...args], {
      LAKEHOUSE_DIR: h.lakehouse,
      TEMPORAL_TASK_QUEUE: h.config.taskQueue,
      USER: 'hostile-op',
    });

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({ RETRY_MAX_ATTEMPTS: '1' });
    scope = `TaskQueue = ${queryString(h.config.taskQueue)}`;
  });
  after(() => h?.stop());

  it('entries whose trace ids end in \\ or hold quotes are listed, counted and found by a real visibility query', async () => {
    const tag = randomUUID().slice(0, 8);
    const traces = [`bs-${tag}-abc\\`, `q-${tag}-a\\b'c"d`, `q-${tag}-it's`];
    await h.produceEvents(
      traces.map((t, i) => ({ ...h.eventWith(i, [`${h.sample.url}/status/404/q/e.pdf`]), traceId: t })),
    );
    const ids = traces.map(xactWorkflowId);
    const outcomes = await h.waitFor(ids);
    assert.deepEqual(
      ids.map((id) => outcomes.get(id)!.status),
      ['failed', 'failed', 'failed'],
    );

    // The quoting reads back whole on the dev server. (Values with a backslash or a double quote match nothing
    // there at all: Temporal's SQL visibility re-escapes them MySQL-style; the DLQ looks those ids up by describe.)
    for (const id of ids.filter(queryMatchable)) {
      const found = [];
      for await (const i of h.client.workflow.list({ query: `WorkflowId = ${queryString(id)}` }))
        found.push(i.workflowId);
      assert.deepEqual(found, [id], `the dev server reads ${JSON.stringify(id)} back whole`);
    }
    const list = await cli('list', '--query', scope, '--json');
    assert.equal(list.code, 0, list.stderr);
    const listed = (JSON.parse(list.stdout) as { items: { workflowId: string }[] }).items.map((i) => i.workflowId);
    assert.deepEqual(listed.filter((id) => ids.includes(id)).sort(), [...ids].sort());
    const stats = await cli('stats', '--query', scope, '--json');
    assert.equal(stats.code, 0, stats.stderr);
    assert.ok((JSON.parse(stats.stdout) as { depth: number }).depth >= 3);
    const registry = new Registry();
    await new DlqMonitor(registry, h.dlqService(), createLogger('bridge', { level: 'error' }), {
      query: scope,
    }).refresh();
    assert.ok((await gaugeByDomain(registry, 'pipeline_dlq_unarchived')).xact === 0, 'the DLQ gauges refresh');
    assert.equal((await cli('view', traces[0]!)).code, 0);

    // Resolved, the entry leaves the listing at once (its superseding run is found without a query by value).
    const resolved = await cli('resolve', traces[0]!, '--reason', 'trailing backslash');
    assert.equal(resolved.code, 0, resolved.stderr);
    const after = await cli('list', '--query', scope, '--json');
    const left = (JSON.parse(after.stdout) as { items: { workflowId: string }[] }).items.map((i) => i.workflowId);
    assert.ok(!left.includes(ids[0]!), 'the resolved entry is not listed');
    assert.ok(left.includes(ids[1]!));
  });

  it('a 120-emoji trace id is archived, listed whole-character, and resolved with its audit records', async () => {
    const longTrace = `${randomUUID().slice(0, 8)}-${'\u{1F600}'.repeat(120)}`;
    const later = `after-long-${randomUUID()}`;
    await h.produceEvents([{ ...h.eventWith(1, [`${h.sample.url}/status/404/l/e.pdf`]), traceId: longTrace }]);
    await h.waitFor([xactWorkflowId(longTrace)]);
    await h.produceEvents([{ ...h.eventWith(2, [`${h.sample.url}/status/404/m/e.pdf`]), traceId: later }]);
    await h.waitFor([xactWorkflowId(later)]);

    // The monitor archives both (the long one first, being older) and nothing is left unarchived.
    const registry = new Registry();
    await new DlqMonitor(registry, h.dlqService(), createLogger('bridge', { level: 'error' }), {
      query: scope,
    }).refresh();
    assert.equal((await gaugeByDomain(registry, 'pipeline_dlq_unarchived')).xact, 0);
    const archived = (await readWithDeltaRs(path.join(h.lakehouse, 'Tables', 'pipeline_dlq'))).rows;
    const row = archived.find((r) => r.workflow_id === xactWorkflowId(longTrace))!;
    assert.ok(row, 'the long id is archived');
    const folder = String(row.input_path).split('/').at(-2)!;
    assert.ok(Buffer.byteLength(folder) <= 255, `${Buffer.byteLength(folder)} bytes`);
    assert.ok(fs.existsSync(path.join(h.lakehouse, String(row.input_path))));

    const text = await cli('list', '--query', scope);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(!text.stdout.includes('\uFFFD'), 'no character is cut in half');
    assert.match(text.stdout, /-\u{1F600}+… /u);

    const resolved = await cli('resolve', longTrace, '--reason', 'test id');
    assert.equal(resolved.code, 0, resolved.stdout + resolved.stderr);
    const audit = (await h.dlqService().audit.read()).filter((a) => a.traceId === longTrace);
    assert.deepEqual(
      audit.map((a) => [a.action, a.result, a.operator]),
      [
        ['resolve', 'requested', 'hostile-op'],
        ['resolve', 'resolved', 'hostile-op'],
      ],
    );
    assert.equal((await cli('resolve', longTrace, '--reason', 'again')).code, 3);
  });

  it('a trace id too long for its search attribute: dlq view finds the entry by the cut id dlq list shows', async () => {
    const longTrace = `${randomUUID().slice(0, 8)}-${'\u{1F600}'.repeat(300)}`; // 1,209 UTF-8 bytes
    await h.produceEvents([{ ...h.eventWith(3, [`${h.sample.url}/status/404/c/e.pdf`]), traceId: longTrace }]);
    const id = xactWorkflowId(longTrace);
    await h.waitFor([id]);
    const list = await cli('list', '--query', `${scope} AND WorkflowId = ${queryString(id)}`, '--json');
    assert.equal(list.code, 0, list.stderr);
    const shown = (JSON.parse(list.stdout) as { items: { traceId: string }[] }).items[0]!.traceId;
    assert.ok(longTrace.startsWith(shown) && shown.length < longTrace.length, 'the listed trace id is its start');
    for (const asked of [shown, longTrace]) {
      const view = await cli('view', asked, '--json');
      assert.equal(view.code, 0, view.stdout + view.stderr);
      assert.equal((JSON.parse(view.stdout) as { entry: { workflowId: string } }).entry.workflowId, id);
    }

    // A second long trace id with the same start: the cut id is ambiguous, and says which entries it could mean.
    const sibling = `${longTrace}-2`;
    await h.produceEvents([{ ...h.eventWith(4, [`${h.sample.url}/status/404/d/e.pdf`]), traceId: sibling }]);
    await h.waitFor([xactWorkflowId(sibling)]);
    const ambiguous = await cli('view', shown);
    assert.equal(ambiguous.code, 2, ambiguous.stdout + ambiguous.stderr);
    assert.ok(ambiguous.stderr.includes(id) && ambiguous.stderr.includes(xactWorkflowId(sibling)), ambiguous.stderr);
    const whole = await cli('view', sibling, '--json');
    assert.equal(whole.code, 0, whole.stderr);
  });

  it('a 100-emoji trace id with a good attachment completes: every stored path segment fits', async () => {
    const traceId = `${randomUUID().slice(0, 8)}-${'\u{1F600}'.repeat(100)}`;
    await h.produceEvents([
      {
        ...h.eventWith(3, [`${h.sample.url}/files/x/${encodeURIComponent('見積書'.repeat(40))}.pdf?bytes=1000`]),
        traceId,
      },
    ]);
    const wf = xactWorkflowId(traceId);
    const outcome = (await h.waitFor([wf])).get(wf)!;
    assert.equal(outcome.status, 'completed', outcome.message);
    const [a] = (outcome.result as IngestSummary).attachments;
    assert.equal(a!.status, 'transferred');
    assert.ok(
      a!.blobPath.split('/').every((s) => Buffer.byteLength(s) <= 255),
      a!.blobPath,
    );
    assert.equal(fs.statSync(h.filePath(a!.blobPath)).size, 1000);
  });
});
