import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config/config';
import { workerTuning } from '../../../src/worker/create-worker';

/** The worker's concurrency settings come from the configuration keys (issue 32 item 4 measured them). */
describe('worker tuning', () => {
  it('runs workflow code on one thread (the SDK default with a reused V8 context) and 80 workflow tasks by default', () => {
    const tuning = workerTuning(loadConfig({}));
    assert.equal(tuning.workflowThreadPoolSize, 1);
    assert.equal(tuning.maxConcurrentWorkflowTaskExecutions, 80);
  });

  it('takes WORKER_WORKFLOW_THREADS and WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', () => {
    const tuning = workerTuning(
      loadConfig({ WORKER_WORKFLOW_THREADS: '2', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20' }),
    );
    assert.equal(tuning.workflowThreadPoolSize, 2);
    assert.equal(tuning.maxConcurrentWorkflowTaskExecutions, 20);
  });

  it('refuses zero workflow threads', () => {
    assert.throws(() => loadConfig({ WORKER_WORKFLOW_THREADS: '0' }), /WORKER_WORKFLOW_THREADS/);
  });
});
