import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { WORKFLOW_TYPES, xactWorkflowId } from '../../src/shared/ids';
import type { IngestSummary, IngestXactInput } from '../../src/shared/pipeline-types';
import { decodeXactEvent } from '../../src/shared/xact-event';
import { sampleEvent } from '../../src/domains/xact/sample';
import { buildActivityDeps } from '../../src/worker/build-deps';
import { outcomeSinks, WORKFLOWS_PATH } from '../../src/worker/create-worker';
import { runCli } from '../support/cli';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { ensureStack, TEMPORAL_ADDRESS } from '../support/stack';

const ET = temporal.api.enums.v1.EventType;

/**
 * Local first, regular on trouble (issue 32) on the real stack: the pipeline's own activities, the sample file
 * server, the Delta tables, and the operator's `kafka-pipeline dlq` commands.
 */
describe('local-first transfers on the real stack', function () {
  this.timeout(300_000);
  let h: PipelineHarness;

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({ RETRY_MAX_ATTEMPTS: '2' });
  });
  after(() => h?.stop());

  const dlq = (...args: string[]) => runCli(['dlq', ...args], { LAKEHOUSE_DIR: h.lakehouse, USER: 'test-operator' });
  const rowsOf = async (which: 'events' | 'attachments', traceId: string) =>
    (await readWithDeltaRs(h.tablePath(which))).rows.filter((r) => r.trace_id === traceId);

  it('a workflow task retried after its local steps ran: they run again, and files and rows stay exactly once', async () => {
    const e = sampleEvent(1, { sampleUrl: h.sample.url, attachments: 2 });
    const rawJson = JSON.stringify(e);
    const decoded = decodeXactEvent(rawJson);
    assert.ok(decoded.ok);
    const input: IngestXactInput = {
      event: decoded.event,
      rawJson,
      source: { topic: h.topic, partition: 0, offset: '0', timestamp: String(Date.now()) },
      retry: { initialIntervalMs: 1000, backoffCoefficient: 1, maximumIntervalMs: 1000, maximumAttempts: 2 },
      maxParallelAttachments: 4,
      transferTimeoutMs: 60_000,
      localSteps: true,
    };
    // The pipeline's real activities, each call counted, on a worker whose first workflow task of a run is lost
    // after every local activity of it has run (test/support/workflow-interceptors/fail-first-workflow-task.ts).
    const calls: string[] = [];
    const activities = Object.fromEntries(
      Object.entries(createActivities(await buildActivityDeps(h.config))).map(([name, fn]) => [
        name,
        (...args: unknown[]) => {
          calls.push(name);
          return (fn as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    );
    const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
    const taskQueue = `retried-task-${randomUUID()}`;
    const workflowId = xactWorkflowId(decoded.event.traceId);
    try {
      const worker = await Worker.create({
        connection,
        taskQueue,
        workflowsPath: WORKFLOWS_PATH,
        activities,
        sinks: outcomeSinks(),
        interceptors: {
          workflowModules: [require.resolve('../support/workflow-interceptors/fail-first-workflow-task')],
        },
      });
      const summary = (await worker.runUntil(
        h.client.workflow.execute(WORKFLOW_TYPES.ingestXactEvent, { taskQueue, workflowId, args: [input] }),
      )) as IngestSummary;
      assert.deepEqual(
        summary.attachments.map((a) => a.status),
        ['transferred', 'transferred'],
      );
      const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
      const types = (history.events ?? []).map((ev) => ev.eventType);
      assert.equal(types.filter((t) => t === ET.EVENT_TYPE_WORKFLOW_TASK_FAILED).length, 1, 'the first task was lost');
      assert.equal(types.filter((t) => t === ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length, 0, 'no regular activity');
      const count = (name: string) => calls.filter((c) => c === name).length;
      // The one local step (event row, plans, both transfers, their rows) ran twice, and nothing else did.
      assert.deepEqual([count('ingestXactLocally'), calls.length], [2, 2], 'the local step ran twice');
      for (const a of summary.attachments) assert.equal(fs.statSync(h.filePath(a.blobPath)).size, 20_000);
      assert.equal((await rowsOf('events', decoded.event.traceId)).length, 1, 'one event row');
      const rows = await rowsOf('attachments', decoded.event.traceId);
      assert.deepEqual(rows.map((r) => r.blob_path).sort(), summary.attachments.map((a) => a.blobPath).sort());
    } finally {
      await connection.close();
    }
  });

  it('a 404: regular activity failures in the history, dlq view shows the local attempt first, dlq replay completes', async () => {
    const traceId = `local-${randomUUID()}`;
    const ok = `${h.sample.url}/files/L1/${traceId.slice(6, 14)}/estimate.pdf`;
    const bad = `${h.sample.url}/status/404/L1/${traceId.slice(6, 14)}/photo.jpg`;
    const good = `${h.sample.url}/files/L1/${traceId.slice(6, 14)}/photo.jpg`;
    await h.produceEvents([{ ...h.eventWith(1, [ok, bad]), traceId }]);
    const wf = xactWorkflowId(traceId);
    const outcome = (await h.waitFor([wf])).get(wf)!;
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(outcome.searchAttributes.ErrorCategory, ['permanent']);
    assert.deepEqual(outcome.searchAttributes.FailedStage, ['download']);

    // The history (as `temporal workflow show` prints it): the 404 is the regular activity's failure.
    const events = (await h.client.workflow.getHandle(wf).fetchHistory()).events ?? [];
    const scheduled = events.filter((e) => e.eventType === ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    assert.deepEqual(
      scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name),
      ['transferAttachment'],
      'only the failed attachment was handed to a regular activity',
    );
    const failed = events.filter((e) => e.eventType === ET.EVENT_TYPE_ACTIVITY_TASK_FAILED);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type, 'HttpPermanent');

    const view = await dlq('view', traceId);
    assert.equal(view.code, 0, view.stderr);
    assert.match(
      view.stdout,
      /Failure chain:\n {2}ingestXactLocally \(local attempt\) \S*photo\.jpg: HttpPermanent HTTP 404 after 1 attempt\(s\)[^\n]*\n {2}transferAttachment \S*photo\.jpg: HttpPermanent HTTP 404 after 1 attempt/,
    );

    const replayed = await dlq('replay', traceId, '--set-url', `${bad}=${good}`, '--wait', '--reason', 'fixed URL');
    assert.equal(replayed.code, 0, replayed.stdout + replayed.stderr);
    const d = await h.client.workflow.getHandle(wf).describe();
    assert.equal(d.status.name, 'COMPLETED');
    const rows = await rowsOf('attachments', traceId);
    assert.equal(rows.length, 2, 'the first attachment once, the corrected one once');
  });
});
