import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import { Registry } from 'prom-client';
import { DlqMonitor } from '../../src/dlq/dlq-monitor';
import { createLogger } from '../../src/observability/logger';
import { xactWorkflowId } from '../../src/shared/ids';
import { sampleEvent } from '../../src/domains/xact/sample';
import { xactEventId } from '../../src/shared/uuid5';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack, ROOT } from '../support/stack';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('DLQ operations on failed workflows (dlq list/view/replay/resolve/stats/audit)', function () {
  this.timeout(900_000);
  let h: PipelineHarness;
  let scope: string;

  const cli = async (...args: string[]): Promise<CliResult> => {
    try {
      const r = await run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'dlq', ...args], {
        env: { ...process.env, LAKEHOUSE_DIR: h.lakehouse, USER: 'test-operator' },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await cli(...args, '--json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as T;
  };
  const event = (traceId: string, urls: string[]) => {
    const e = sampleEvent(1, { sampleUrl: h.sample.url, attachments: 0 });
    return { ...e, traceId, data: { ...(e.data as object), attachments: urls } };
  };
  interface ListJson {
    depth: number;
    items: {
      traceId: string;
      category: string;
      stage: string;
      attempts: number;
      replays: number;
      what: string;
      uiUrl: string;
    }[];
  }

  before(async () => {
    await ensureStack();
    // The DLQ counts exact categories here; the download breaker (which would turn part of a 200-event outage into
    // circuit_open entries) has its own test (download-breaker.test.ts).
    h = await PipelineHarness.start({ RETRY_MAX_ATTEMPTS: '2', BREAKER_DOWNLOAD_FAILURE_THRESHOLD: '100000' });
    scope = `TaskQueue = '${h.config.taskQueue}'`; // only this test's runs: the namespace is shared with other tests
  });
  after(() => h?.stop());

  it('a transient failure is listed, viewed, replayed after the fix, and leaves the DLQ with exactly one row each', async () => {
    const traceId = `dlq-${randomUUID()}`;
    const url = `${h.sample.url}/outage/cdn-a/claims/estimate.pdf`;
    await h.produceEvents([event(traceId, [url])]);
    const wf = xactWorkflowId(traceId);
    assert.equal((await h.waitFor([wf])).get(wf)!.status, 'failed');

    const listed = await json<ListJson>('list', '--query', scope);
    assert.equal(listed.depth, 1);
    assert.deepEqual(
      [
        listed.items[0]!.traceId,
        listed.items[0]!.category,
        listed.items[0]!.stage,
        listed.items[0]!.attempts,
        listed.items[0]!.replays,
      ],
      [traceId, 'transient', 'download', 2, 0],
    );
    assert.equal(listed.items[0]!.what, url);
    assert.match(listed.items[0]!.uiUrl, new RegExp(`/namespaces/default/workflows/${wf}/`));

    // The Web UI's filter (TraceId + ExecutionStatus) finds the same run.
    const ui = [];
    for await (const i of h.client.workflow.list({ query: `TraceId = '${traceId}' AND ExecutionStatus = 'Failed'` }))
      ui.push(i);
    assert.equal(ui.length, 1);

    const view = await json<{
      run: {
        source: { topic: string };
        steps: { httpStatus: number; attempts: number }[];
        outcomes: { status: string }[];
      };
    }>('view', traceId);
    assert.equal(view.run.source.topic, h.topic);
    // The transfer's local first attempt (one, never retried locally), then the regular activity's attempts.
    assert.deepEqual(
      view.run.steps.map((s) => [s.httpStatus, s.attempts]),
      [
        [503, 1],
        [503, 2],
      ],
    );
    assert.equal(view.run.outcomes[0]!.status, 'failed');
    assert.match(
      (await cli('view', traceId)).stdout,
      /Failure chain:\n {2}ingestXactLocally \(local attempt\) \S+: HttpTransient HTTP 503 after 1 attempt.*\n {2}transferAttachment .*HttpTransient HTTP 503 after 2 attempt/,
    );

    // Replayed before the fix: fails again and is listed once, with its replay count.
    const early = await cli('replay', traceId, '--wait', '--reason', 'too early');
    assert.equal(early.code, 1, early.stdout + early.stderr);
    assert.match(early.stdout, /replay #1 of .*\noutcome: failed/s);
    const again = await json<ListJson>('list', '--query', scope);
    assert.deepEqual([again.depth, again.items[0]!.traceId, again.items[0]!.replays], [1, traceId, 1]);

    h.sample.outage('cdn-a', false);
    const fixed = await cli('replay', traceId, '--wait', '--reason', 'CDN back');
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stdout, /replay #2 of/);
    assert.equal((await json<ListJson>('list', '--query', scope)).depth, 0);
    assert.equal((await cli('replay', traceId)).code, 3, 'a completed event is not in the DLQ');

    // The replay reset a run whose event row, plan, first transfer attempt and rows are one local step: after the
    // reset point it ran again (its marker is not kept across a reset), and with the source back the local transfer
    // succeeded, so the reset run completed without a regular activity.
    const replayed = (await h.client.workflow.getHandle(wf).fetchHistory()).events ?? [];
    const ET = temporal.api.enums.v1.EventType;
    const resetAt = replayed.findIndex(
      (e) =>
        e.eventType === ET.EVENT_TYPE_WORKFLOW_TASK_FAILED &&
        e.workflowTaskFailedEventAttributes?.cause ===
          temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
    );
    assert.ok(resetAt > 0, 'the completed run is the reset one');
    const localSteps = replayed
      .slice(resetAt)
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) =>
        JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!.data!.payloads![0]!.data!).toString()),
      )
      .map((d: { activity_type: string }) => d.activity_type);
    assert.deepEqual(localSteps, ['ingestXactLocally']);
    assert.ok(!replayed.slice(resetAt).some((e) => e.eventType === ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
    assert.equal(replayed.at(-1)?.eventType, ET.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);

    const events = await readWithDeltaRs(h.tablePath('events'));
    assert.equal(events.rows.filter((r) => r.event_id === xactEventId(traceId)).length, 1);
    const attachments = await readWithDeltaRs(h.tablePath('attachments'));
    assert.equal(attachments.rows.filter((r) => r.trace_id === traceId).length, 1);

    const audit = (await cli('audit', '--json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    const mine = audit.filter((a) => a.traceId === traceId);
    assert.deepEqual(
      mine.map((a) => [a.action, a.result, a.operator]),
      [
        ['replay', 'requested', 'test-operator'],
        ['replay', 'started', 'test-operator'],
        ['replay', 'failed', 'test-operator'],
        ['replay', 'requested', 'test-operator'],
        ['replay', 'started', 'test-operator'],
        ['replay', 'completed', 'test-operator'],
      ],
    );
    // The intent is written before the reset (no new run yet); every later line names the run it started.
    assert.ok(mine.every((a) => a.workflowId === wf && a.runId && (a.result === 'requested') !== Boolean(a.newRunId)));
    assert.match(mine[0]!.failure!, /attachment\(s\) failed/);
  });

  it('resolve removes an entry from the listing and the depth and writes an audit line', async () => {
    const traceId = `dlq-${randomUUID()}`;
    await h.produceEvents([event(traceId, [`${h.sample.url}/status/404/gone/estimate.pdf`])]);
    await h.waitFor([xactWorkflowId(traceId)]);
    const failedRunId = (await h.client.workflow.getHandle(xactWorkflowId(traceId)).describe()).runId;
    const before = await json<{ depth: number; byCategory: Record<string, number> }>('stats', '--query', scope);
    assert.deepEqual([before.depth, before.byCategory.permanent], [1, 1]);
    assert.equal((await cli('resolve', traceId)).code, 2, '--reason is required (a usage error)');
    const r = await cli('resolve', traceId, '--reason', 'document withdrawn by carrier');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await json<{ depth: number }>('stats', '--query', scope)).depth, 0);
    assert.equal((await json<ListJson>('list', '--query', scope)).depth, 0);
    const audit = (await cli('audit')).stdout;
    assert.match(
      audit,
      new RegExp(`test-operator resolve ${traceId} run \\S+ -> \\S+: resolved \\(document withdrawn by carrier\\)`),
    );
    assert.equal((await cli('resolve', traceId, '--reason', 'again')).code, 3);
    // In the Web UI the event's latest run is the resolution, saying who and why.
    const latest = h.client.workflow.getHandle(xactWorkflowId(traceId));
    assert.equal((await latest.describe()).type, 'dlqResolution');
    assert.deepEqual(await latest.result(), {
      resolvedRunId: failedRunId,
      reason: 'document withdrawn by carrier',
      operator: 'test-operator',
      failure: '1 of 1 attachment(s) failed (0 transferred and recorded):',
    });
  });

  it('bulk: 200 failed events replayed with --rate 50 all complete; the depth goes 200 -> 0 without double counting', async () => {
    const traces = Array.from({ length: 200 }, () => `bulk-${randomUUID()}`);
    await h.produceEvents(traces.map((t, i) => event(t, [`${h.sample.url}/outage/cdn-b/bulk/${i}/estimate.pdf`])));
    // And one event that can never succeed (attachments without an assignment id): bulk replay leaves it alone.
    const invalidTrace = `bulk-invalid-${randomUUID()}`;
    const invalid = event(invalidTrace, [`${h.sample.url}/files/x/estimate.pdf`]);
    delete (invalid.data as Record<string, unknown>).assignmentId;
    await h.produceEvents([invalid]);
    const outcomes = await h.waitFor([...traces, invalidTrace].map(xactWorkflowId));
    assert.ok([...outcomes.values()].every((o) => o.status === 'failed'));
    assert.equal((await json<{ depth: number }>('stats', '--query', scope)).depth, 201);
    const registry = new Registry();
    const dlqService = h.dlqService();
    const monitor = new DlqMonitor(registry, dlqService, createLogger('bridge', { level: 'error' }), { query: scope });
    const depthMetric = async () =>
      (await registry.getSingleMetric('pipeline_dlq_depth')!.get()).values as {
        value: number;
        labels: Record<string, string>;
      }[];
    // Visibility is eventually consistent: a run listed as failed may show its failure's search attributes
    // (category, stage) a moment later; the gauges follow at the next refresh.
    const expected = [
      ['xact', 'invalid_event', 'validate', 1],
      ['xact', 'transient', 'download', 200],
    ];
    const byLabels = async () =>
      (await depthMetric()).map((v) => [v.labels.domain, v.labels.category, v.labels.stage, v.value]).sort();
    await until(
      'the DLQ gauges show every entry by category and stage',
      async () => {
        await monitor.refresh();
        return JSON.stringify(await byLabels()) === JSON.stringify(expected);
      },
      async () => JSON.stringify(await byLabels()),
      30_000,
    );

    const dry = await cli('replay', '--query', scope, '--dry-run');
    assert.match(dry.stdout, /would replay 200 failed event\(s\) at 10\/s .*skipping 1 invalid event/);
    const dryAll = await cli('replay', '--query', scope, '--dry-run', '--include-invalid');
    assert.match(dryAll.stdout, /would replay 201 failed event\(s\)/);
    assert.match((await cli('replay', '--query', scope)).stderr, /200 entries match: add --yes/);

    h.sample.outage('cdn-b', false);
    const bulk = await cli('replay', '--query', scope, '--rate', '50', '--yes', '--reason', 'CDN b back');
    assert.equal(bulk.code, 0, bulk.stdout + bulk.stderr);
    assert.match(bulk.stdout, /replayed 200 of 200; 0 error\(s\)/);
    await until(
      'every replayed run completed',
      async () =>
        (await h.client.workflow.count(`${scope} AND ExecutionStatus = 'Completed' AND TraceId STARTS_WITH 'bulk-'`))
          .count === 200,
    );
    assert.deepEqual(
      (await json<ListJson>('list', '--query', scope)).items.map((i) => [i.traceId, i.category]),
      [[invalidTrace, 'invalid_event']],
      'only the invalid event is left',
    );
    assert.equal((await cli('resolve', invalidTrace, '--reason', 'sender fixes the event')).code, 0);
    assert.equal((await json<{ depth: number }>('stats', '--query', scope)).depth, 0);
    await monitor.refresh();
    assert.deepEqual(await depthMetric(), [], 'replayed runs leave the depth metric too (no double counting)');
    const events = await readWithDeltaRs(h.tablePath('events'));
    const ids = new Set(traces.map(xactEventId));
    assert.equal(events.rows.filter((r) => ids.has(String(r.event_id))).length, 200);
    const attachments = await readWithDeltaRs(h.tablePath('attachments'));
    assert.equal(attachments.rows.filter((r) => String(r.trace_id).startsWith('bulk-')).length, 200);
  });

  it('amended replay (--set-url) runs the corrected event; invalid messages cannot be replayed, only resolved', async () => {
    const traceId = `dlq-${randomUUID()}`;
    const bad = `${h.sample.url}/status/404/typo/estimate.pdf`;
    const good = `${h.sample.url}/files/fixed/estimate.pdf`;
    await h.produceEvents([event(traceId, [bad])]);
    await h.waitFor([xactWorkflowId(traceId)]);
    const missing = await cli('replay', traceId, '--set-url', `${h.sample.url}/nope.pdf=${good}`);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /the event has no attachment/);
    const r = await cli('replay', traceId, '--set-url', `${bad}=${good}`, '--wait', '--reason', 'typo in URL');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const d = await h.client.workflow.getHandle(xactWorkflowId(traceId)).describe();
    assert.equal(d.status.name, 'COMPLETED');
    assert.deepEqual(d.memo?.changes, [{ from: bad, to: good }]);
    assert.equal(d.memo?.replayCount, 1);
    const audit = (await cli('audit', '--json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(audit.some((a) => a.traceId === traceId && a.action === 'replay-amended' && a.result === 'started'));

    const [offset] = await h.produce([{ value: 'not json at all', partition: 0 }]);
    const invalidId = `xact-invalid-${h.topic}-0-${offset}`;
    await h.waitFor([invalidId]);
    const listed = await json<ListJson>('list', '--query', scope, '--category', 'invalid_event');
    assert.equal(listed.depth, 1);
    assert.match(listed.items[0]!.what, /not JSON/);
    const refused = await cli('replay', invalidId);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /invalid message: replaying cannot fix it/);
    assert.equal((await cli('resolve', invalidId, '--reason', 'producer bug fixed upstream')).code, 0);
    assert.equal((await json<ListJson>('list', '--query', scope)).depth, 0);
  });

  it('scripts/: replay one and replay by query with the temporal CLI; register search attributes', async () => {
    const traces = [0, 1, 2, 3].map(() => `script-${randomUUID()}`);
    await h.produceEvents(traces.map((t, i) => event(t, [`${h.sample.url}/outage/cdn-c/s/${i}/estimate.pdf`])));
    await h.waitFor(traces.map(xactWorkflowId));
    assert.equal((await json<{ depth: number }>('stats', '--query', scope)).depth, 4);
    h.sample.outage('cdn-c', false);
    const script = (name: string, ...args: string[]) => run('bash', [path.join(ROOT, 'scripts', name), ...args]);
    const missingReason = await script('dlq-replay-one.sh', traces[0]!).catch(
      (e: { code: number; stderr: string }) => e,
    );
    assert.match((missingReason as { stderr: string }).stderr, /a reason is required/);
    const one = await script('dlq-replay-one.sh', traces[0]!, 'CDN c back');
    assert.match(one.stdout, new RegExp(`replayed xact-${traces[0]}`));
    // By workflow id (what dlq list shows; the only form of a hashed id), and an id of neither domain.
    const byId = await script('dlq-replay-one.sh', xactWorkflowId(traces[3]!), 'CDN c back');
    assert.match(byId.stdout, new RegExp(`replayed xact-${traces[3]}`));
    const unknown = (await script('dlq-replay-one.sh', `nope-${traces[0]}`, 'x').catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, new RegExp(`no workflow xact-nope-${traces[0]} claimx-nope-${traces[0]}`));
    const batch = await script(
      'dlq-replay-query.sh',
      `${scope} AND TraceId IN ('${traces[1]}', '${traces[2]}')`,
      'CDN c back',
    );
    assert.match(batch.stdout, /replayed 2 run\(s\)/);
    const outcomes = await h.waitFor(traces.map(xactWorkflowId));
    assert.ok(
      [...outcomes.values()].every((o) => o.status === 'completed'),
      JSON.stringify([...outcomes.values()]),
    );
    assert.equal((await json<{ depth: number }>('stats', '--query', scope)).depth, 0);
    const sa = await script('register-search-attributes.sh');
    for (const name of ['TraceId', 'Domain', 'ErrorCategory', 'FailedStage', 'EventType']) {
      assert.match(sa.stdout, new RegExp(`${name} exists`));
    }
  });
});
