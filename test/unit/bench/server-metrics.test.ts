import assert from 'node:assert/strict';
import { frontendStarts, perEventCounts, serverCounters } from '../../../bench/server-metrics';
import { cpuTotals } from '../../../bench/figures';

/** A Temporal dev server's metrics page, cut down to lines of the kinds the bench reads (and some it must skip). */
const page = (wfCompleted: number, actCompleted: number, updates: number) =>
  [
    '# HELP service_requests service_requests counter',
    '# TYPE service_requests counter',
    `service_requests{namespace="default",operation="RespondWorkflowTaskCompleted",service_name="frontend"} ${wfCompleted}`,
    // The history service's side of the same call: counting it too would double the tasks.
    `service_requests{namespace="default",operation="RespondWorkflowTaskCompleted",service_name="history"} ${wfCompleted}`,
    'service_requests{namespace="default",operation="RespondWorkflowTaskFailed",service_name="frontend"} 2',
    `service_requests{namespace="default",operation="RespondActivityTaskCompleted",service_name="frontend"} ${actCompleted}`,
    'service_requests{namespace="default",operation="RespondActivityTaskFailed",service_name="frontend"} 1',
    // The server's own workflows (e.g. the batch job that terminates a bench queue) are not the pipeline's tasks.
    'service_requests{namespace="temporal_system",operation="RespondWorkflowTaskCompleted",service_name="frontend"} 40',
    'service_requests{namespace="temporal_system",operation="RespondActivityTaskCompleted",service_name="frontend"} 30',
    'service_requests{namespace="default",operation="PollWorkflowTaskQueue",service_name="frontend"} 999',
    `persistence_requests{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} ${updates}`,
    'persistence_requests{namespace="default",operation="GetWorkflowExecution",service_name="history"} 500',
    'persistence_requests{namespace="temporal_system",operation="CreateWorkflowExecution",service_name="history"} 3',
    'visibility_persistence_requests{namespace="default",operation="RecordWorkflowExecutionClosed",service_name="history"} 7',
    'persistence_latency_count{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} 12345',
  ].join('\n');

describe('bench: per-event counts from the Temporal server metrics', () => {
  it('counts workflow and activity tasks where the worker reports them, in the namespace, and every write', () => {
    assert.deepEqual(serverCounters(page(100, 10, 50), 'default'), {
      workflowTasks: 102,
      activityTasks: 11,
      persistenceWrites: 50 + 3 + 7,
    });
  });

  it("counts the tasks of the namespace it is given (the cluster's kafka-pipeline, kafka_pipeline in labels), not another's", () => {
    // The server's Prometheus reporter writes characters other than letters, digits and _ as _ in label values.
    const cluster = page(100, 10, 50).replaceAll('namespace="default"', 'namespace="kafka_pipeline"');
    assert.deepEqual(serverCounters(cluster, 'kafka-pipeline'), {
      workflowTasks: 102,
      activityTasks: 11,
      persistenceWrites: 50 + 3 + 7,
    });
    assert.equal(serverCounters(cluster, 'default').workflowTasks, 0);
  });

  it('divides the growth between two snapshots by the events of the run', () => {
    const before = serverCounters(page(100, 10, 50), 'default');
    const after = serverCounters(page(300, 10, 450), 'default');
    assert.deepEqual(perEventCounts(before, after, 200), {
      workflowTasks: 1,
      activityTasks: 0,
      persistenceWrites: 2,
    });
  });

  it('refuses a run without events instead of reporting a division by zero', () => {
    const c = serverCounters(page(1, 1, 1), 'default');
    assert.throws(() => perEventCounts(c, c, 0), /at least one event/);
  });

  it('reads a page without the counters as zero tasks', () => {
    assert.deepEqual(serverCounters('# nothing yet\n', 'default'), {
      workflowTasks: 0,
      activityTasks: 0,
      persistenceWrites: 0,
    });
  });
});

describe('bench: CPU per event totals', () => {
  it('sums the processes and keeps each one', () => {
    const byProcess = { worker: 20, bridge: 3, temporal: 25, kafka: 0.5, bench: 1.5 };
    assert.deepEqual(cpuTotals(byProcess), { total: 50, byProcess });
  });

  it("reads the starts' latency totals at the frontend only (the history service reports the same operation)", () => {
    const text = [
      'service_latency_sum{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} 12.5',
      'service_latency_count{namespace="default",operation="StartWorkflowExecution",service_name="frontend"} 50',
      'service_latency_sum{namespace="default",operation="StartWorkflowExecution",service_name="history"} 11',
      'service_latency_count{namespace="default",operation="StartWorkflowExecution",service_name="history"} 50',
      'service_latency_count{namespace="default",operation="PollWorkflowTaskQueue",service_name="frontend"} 7',
    ].join('\n');
    assert.deepEqual(frontendStarts(text), { seconds: 12.5, calls: 50 });
  });
});
