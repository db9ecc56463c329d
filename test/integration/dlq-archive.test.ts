import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Registry } from 'prom-client';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { dlqTables } from '../../src/config/settings';
import { DlqMonitor } from '../../src/dlq/dlq-monitor';
import { DlqService } from '../../src/dlq/dlq-service';
import { replay } from '../../src/dlq/replay';
import { createLogger } from '../../src/observability/logger';
import { xactWorkflowId } from '../../src/shared/ids';
import { xactEventId } from '../../src/shared/uuid5';
import { readWithDeltaRs } from '../support/delta-rs';
import { runCli } from '../support/cli';
import { gaugeByDomain } from '../support/gauges';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack } from '../support/stack';

const SECRET = 'sig0123456789secret';

describe('DLQ archive and audit in the lakehouse: entries outlive their runs', function () {
  this.timeout(600_000);
  let h: PipelineHarness;
  let scope: string;
  let cwd: string;

  /** The CLI as an operator runs it, from a working directory it must not write to. */
  const cli = (...args: string[]) =>
    runCli(
      ['dlq', ...args],
      { LAKEHOUSE_DIR: h.lakehouse, TEMPORAL_TASK_QUEUE: h.config.taskQueue, USER: 'archive-operator' },
      { cwd },
    );
  /** Deletes a run from Temporal (as retention would) and waits until Temporal no longer has it. */
  const forgetRun = async (workflowId: string, runId: string) => {
    await h.client.workflowService.deleteWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId, runId },
    });
    await until('Temporal no longer has the run', () =>
      h.client.workflow
        .getHandle(workflowId)
        .describe()
        .then(
          () => false,
          (err: Error) => err.name === 'WorkflowNotFoundError',
        ),
    );
  };

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({ RETRY_MAX_ATTEMPTS: '2' });
    scope = `TaskQueue = '${h.config.taskQueue}'`;
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'dlq-cwd-'));
    fs.chmodSync(cwd, 0o555);
  });
  after(() => h?.stop());

  it('a failed run is archived by the monitor, survives its deletion from Temporal, and replays from the archive', async () => {
    const traceId = `archive-${randomUUID()}`;
    const url = `${h.sample.url}/outage/cdn-archive/claims/estimate.pdf?X-Amz-Signature=${SECRET}&part=1`;
    await h.produceEvents([{ ...h.eventWith(1, [url]), traceId }]);
    const wf = xactWorkflowId(traceId);
    assert.equal((await h.waitFor([wf])).get(wf)!.status, 'failed');
    const failedRunId = (await h.client.workflow.getHandle(wf).describe()).runId;

    // A store that refuses writes: nothing archived, and the gauges say so.
    const registry = new Registry();
    const log = createLogger('bridge', { level: 'error' });
    const broken = new DlqService(h.client, 'default', 'http://ui', readOnly(h.lakehouse), dlqTables(h.config));
    await assert.rejects(new DlqMonitor(registry, broken, log, { query: scope }).refresh(), /store refuses writes/);
    assert.equal((await gaugeByDomain(registry, 'pipeline_dlq_unarchived')).xact, 1);
    assert.ok((await gaugeByDomain(registry, 'pipeline_dlq_unarchived_oldest_age_seconds')).xact! >= 0);

    // The DLQ monitor archives it; a second monitor (two overlap in a rolling update) adds nothing.
    const registry2 = new Registry();
    await new DlqMonitor(registry2, h.dlqService(), log, { query: scope }).refresh();
    await new DlqMonitor(new Registry(), h.dlqService(), log, { query: scope }).refresh();
    assert.equal((await gaugeByDomain(registry2, 'pipeline_dlq_unarchived')).xact, 0);
    const archiveTable = path.join(h.lakehouse, 'Tables', 'pipeline_dlq');
    const archived = (await readWithDeltaRs(archiveTable)).rows.filter((r) => r.workflow_id === wf);
    assert.deepEqual(
      archived.map((r) => [r.run_id, r.state, r.category, r.stage, r.kafka_topic]),
      [[failedRunId, 'failed', 'transient', 'download', h.topic]],
    );
    assert.match(String(archived[0]!.failure), /transferAttachment .*HTTP 503 failed after 2 attempt/);

    // Temporal forgets the run (as retention would).
    await forgetRun(wf, failedRunId);

    const listed = await cli('list', '--archived', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const mine = (JSON.parse(listed.stdout) as { entry: { failed: { workflowId: string } }; where: string }[]).filter(
      (i) => i.entry.failed.workflowId === wf,
    );
    assert.deepEqual(
      mine.map((i) => i.where),
      ['archive only'],
    );
    const view = await cli('view', traceId);
    assert.equal(view.code, 0, view.stderr);
    assert.match(view.stdout, /from the DLQ archive/);
    assert.match(
      view.stdout,
      /Failure chain:\n {2}AttachmentsFailed: [\s\S]*\n {4}transferAttachment .* HTTP 503 failed after 2 attempt/,
    );
    assert.doesNotMatch(view.stdout, new RegExp(SECRET));
    assert.match(view.stdout, /X-Amz-Signature=/, 'the parameter is named, its value redacted');

    h.sample.outage('cdn-archive', false);
    const replayed = await cli('replay', traceId, '--wait', '--reason', 'CDN back, run expired');
    assert.equal(replayed.code, 0, replayed.stdout + replayed.stderr);
    assert.match(replayed.stdout, /replay #1 of .*\noutcome: completed/s);
    const d = await h.client.workflow.getHandle(wf).describe();
    assert.equal(d.memo?.replayedFromArchive, `${wf}/${failedRunId}`);

    const events = await readWithDeltaRs(h.tablePath('events'));
    assert.equal(events.rows.filter((r) => r.event_id === xactEventId(traceId)).length, 1);
    const attachments = await readWithDeltaRs(h.tablePath('attachments'));
    assert.equal(attachments.rows.filter((r) => r.trace_id === traceId).length, 1);

    const after = await cli('list', '--archived', '--json');
    assert.ok(!after.stdout.includes(wf), 'a replayed entry is no longer open');
    assert.equal((await cli('replay', traceId)).code, 3, 'the completed event is not in the DLQ');

    const states = (await readWithDeltaRs(archiveTable)).rows.filter((r) => r.workflow_id === wf);
    assert.deepEqual(states.map((r) => r.state).sort(), ['failed', 'replayed']);
    assert.equal(states.find((r) => r.state === 'replayed')!.new_run_id, d.runId);
    const audit = (await readWithDeltaRs(path.join(h.lakehouse, 'Tables', 'pipeline_dlq_audit'))).rows
      .filter((r) => r.workflow_id === wf)
      .sort((a, b) => String(a.time).localeCompare(String(b.time)));
    assert.deepEqual(
      audit.map((r) => [r.action, r.result, r.operator]),
      [
        ['replay', 'requested', 'archive-operator'],
        ['replay', 'started', 'archive-operator'],
        ['replay', 'completed', 'archive-operator'],
      ],
    );
    assert.match(String(audit[0]!.failure), /transferAttachment/, 'the whole failure is kept');
    assert.deepEqual(fs.readdirSync(cwd), [], 'nothing was written to the working directory');

    for (const table of ['xact_events', 'xact_attachments', 'pipeline_dlq', 'pipeline_dlq_audit']) {
      const rows = (await readWithDeltaRs(path.join(h.lakehouse, 'Tables', table))).rows;
      assert.ok(rows.length > 0, table);
      assert.doesNotMatch(JSON.stringify(rows), new RegExp(SECRET), `${table} holds no signature`);
    }
  });

  it('an archived entry whose run is gone can be resolved: archive and audit record it, it leaves the listing', async () => {
    const traceId = `archive-resolve-${randomUUID()}`;
    await h.produceEvents([{ ...h.eventWith(3, [`${h.sample.url}/status/404/gone/estimate.pdf`]), traceId }]);
    const wf = xactWorkflowId(traceId);
    await h.waitFor([wf]);
    const runId = (await h.client.workflow.getHandle(wf).describe()).runId;
    await new DlqMonitor(new Registry(), h.dlqService(), createLogger('bridge', { level: 'error' }), {
      query: scope,
    }).refresh();
    await forgetRun(wf, runId);
    const r = await cli('resolve', traceId, '--reason', 'document withdrawn');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!(await cli('list', '--archived', '--json')).stdout.includes(wf));
    const again = await cli('resolve', traceId, '--reason', 'twice');
    assert.equal(again.code, 3);
    assert.match(again.stderr, /resolved by archive-operator/);
    const states = (await readWithDeltaRs(path.join(h.lakehouse, 'Tables', 'pipeline_dlq'))).rows
      .filter((row) => row.workflow_id === wf)
      .map((row) => [row.state, row.operator, row.reason]);
    assert.deepEqual(states.sort(), [
      ['failed', null, null],
      ['resolved', 'archive-operator', 'document withdrawn'],
    ]);
    const audit = (await h.dlqService().audit.read()).filter((a) => a.workflowId === wf);
    assert.deepEqual(
      audit.map((a) => [a.action, a.result, a.reason]),
      [
        ['resolve', 'requested', 'document withdrawn'],
        ['resolve', 'resolved', 'document withdrawn'],
      ],
      'the intent is recorded before the resolution, the outcome after',
    );
  });

  it('a replay that dies between the reset and its outcome leaves the intent in the audit trail', async () => {
    const traceId = `archive-crash-${randomUUID()}`;
    await h.produceEvents([{ ...h.eventWith(2, [`${h.sample.url}/status/404/x/estimate.pdf`]), traceId }]);
    await h.waitFor([xactWorkflowId(traceId)]);
    const dlq = h.dlqService();
    // The reset itself fails (as if the process died there): the intent is on record, no outcome.
    const crashing = Object.create(h.client) as Client & { workflowService: Client['workflowService'] };
    Object.defineProperty(crashing, 'workflowService', {
      value: new Proxy(h.client.workflowService, {
        get: (target, prop, receiver) =>
          prop === 'resetWorkflowExecution'
            ? () => Promise.reject(new Error('killed during the reset'))
            : (Reflect.get(target, prop, receiver) as unknown),
      }),
    });
    const broken = new DlqService(
      crashing,
      'default',
      'http://ui',
      new LocalObjectStore(h.lakehouse),
      dlqTables(h.config),
    );
    await assert.rejects(replay(broken, traceId, { reason: 'try', operator: 'crash-test' }), /killed during the reset/);
    const records = (await dlq.audit.read()).filter((a) => a.traceId === traceId);
    assert.deepEqual(
      records.map((a) => [a.action, a.result, a.operator]),
      [['replay', 'requested', 'crash-test']],
    );
    assert.equal((await dlq.find(traceId)).kind, 'event', 'the entry is still in the DLQ');
  });
});

/** The lakehouse folder, read-only: every write fails. */
function readOnly(root: string): LocalObjectStore {
  const store = new LocalObjectStore(root);
  const refuse = () => Promise.reject(new Error('store refuses writes'));
  return Object.assign(store, { put: refuse, putIfAbsent: refuse });
}
