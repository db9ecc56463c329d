import assert from 'node:assert/strict';
import { xactWorkflowId } from '../../src/shared/ids';
import type { IngestSummary } from '../../src/shared/pipeline-types';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { localPipelineEnv, startPipelineProcess, type PipelineProcess } from '../support/processes';
import { ensureStack } from '../support/stack';

/**
 * A worker killed with SIGKILL in the middle of a transfer. A transfer is first a local activity inside the workflow
 * task: the task, lost with its worker, is handed to the other worker after the workflow task timeout (10 s), which
 * runs the local attempt again. A transfer handed to the regular activity (here TRANSFER_LOCAL_MAX_BYTES=0 on the
 * doomed worker) is retried on the other worker once its heartbeat timeout (20 s) has passed, with the production
 * retry ladder (first retry 5 minutes) left as it is.
 */
describe('a worker lost mid-transfer', function () {
  this.timeout(600_000);
  let h: PipelineHarness;
  let doomed: PipelineProcess | undefined;

  before(async () => {
    await ensureStack();
    // The default ladder on purpose: a lost worker must not wait for RETRY_INITIAL_INTERVAL_S.
    h = await PipelineHarness.start(
      { RETRY_INITIAL_INTERVAL_S: '300', RETRY_BACKOFF: '2', RETRY_MAX_INTERVAL_S: '2400' },
      { worker: false },
    );
  });
  afterEach(() => doomed?.child.kill('SIGKILL'));
  after(() => h?.stop());

  for (const [shape, extra] of [
    ['as the local first attempt', {}],
    ['as the regular activity', { TRANSFER_LOCAL_MAX_BYTES: '0' }],
  ] as const) {
    it(`${shape}: the transfer is tried again on another worker, and the run completes once`, async () => {
      doomed = await startPipelineProcess(
        'worker',
        localPipelineEnv(h.config.taskQueue, h.lakehouse, {
          XACT_EVENTS_TOPIC: h.topic,
          TEMPORAL_TASK_QUEUE: h.config.taskQueue,
          METRICS_PORT: '0',
          DELTA_COMMIT_INTERVAL_MS: '0',
          ...extra,
        }),
      );
      // The source answers after 4 s: within the local attempt's 5 s bound, time enough to kill its worker.
      const route = `/slow/4000/W1/${shape.replace(/\W+/g, '-')}/estimate.pdf`;
      const event = h.eventWith(1, [`${h.sample.url}${route}?bytes=2000`]);
      await h.produceEvents([event]);
      await until('the doomed worker started the transfer', async () => h.sample.requests(route) === 1);
      const killedAt = Date.now();
      doomed.child.kill('SIGKILL');
      await h.startWorker();
      await until('the transfer is tried again', async () => h.sample.requests(route) === 2, undefined, 120_000);
      // A figure for docs/reliability.md, not an assertion (timings are measured, never asserted in tests).
      console.log(
        `      recovery: transfer retried ${((Date.now() - killedAt) / 1000).toFixed(1)} s after its worker was killed`,
      );
      const run = (await h.waitFor([xactWorkflowId(String(event.traceId))])).values().next().value!;
      assert.equal(run.status, 'completed');
      const [attachment] = (run.result as IngestSummary).attachments;
      assert.equal(attachment!.status, 'transferred');
      assert.equal(attachment!.bytes, 2000);
      await h.stopWorker();
    });
  }
});
