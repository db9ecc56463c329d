import assert from 'node:assert/strict';
import { countsOf, statusFields } from '../../../../src/cli/start/status-line';
import { counter, gauge, histogram } from '../../../../src/observability/metric-catalogue';
import { createRegistry } from '../../../../src/observability/registry';
import { parseMetrics } from '../../../../src/observability/scrape';

describe('npm start status line (read from the processes /metrics)', () => {
  it('counts what the bridges, the worker and the DLQ monitor export, under the catalogue names', async () => {
    const bridge = createRegistry('bridge');
    const worker = createRegistry('worker');
    const dlqMonitor = createRegistry('dlq-monitor');
    const consumed = counter(bridge, 'kafka_messages_consumed_total');
    consumed.inc({ topic: 't', consumer_group: 'g', status: 'success' }, 7);
    consumed.inc({ topic: 't', consumer_group: 'g', status: 'invalid' }, 5);
    gauge(bridge, 'kafka_consumer_lag').set({ topic: 't', partition: '0', consumer_group: 'g' }, 4);
    const depth = gauge(dlqMonitor, 'pipeline_dlq_depth');
    depth.set({ domain: 'xact', category: 'transient', stage: 'download' }, 2);
    depth.set({ domain: 'claimx', category: 'permanent', stage: 'enrich' }, 1);
    const latency = histogram(worker, 'pipeline_end_to_end_latency_seconds');
    for (let i = 0; i < 9; i++) latency.observe({ domain: 'xact' }, 1.5);
    counter(worker, 'pipeline_dlq_entries_total').inc({ domain: 'xact', category: 'permanent', stage: 'download' });
    const read = async (r: typeof bridge) => parseMetrics(await r.metrics());
    const counts = countsOf(await read(bridge), await read(worker), [], await read(dlqMonitor));
    assert.deepEqual(counts, { eventsIn: 12, completed: 9, failed: 1, lag: 4, dlqDepth: 3 });
    // The claimx bridge's messages and lag count too; the DLQ depth is the DLQ monitor's alone.
    const claimx = createRegistry('bridge');
    counter(claimx, 'kafka_messages_consumed_total').inc({ topic: 'c', consumer_group: 'g2', status: 'success' }, 3);
    gauge(claimx, 'kafka_consumer_lag').set({ topic: 'c', partition: '0', consumer_group: 'g2' }, 1);
    const both = countsOf(await read(bridge), await read(worker), [await read(claimx)], await read(dlqMonitor));
    assert.deepEqual(both, { eventsIn: 15, completed: 9, failed: 1, lag: 5, dlqDepth: 3 });
    assert.equal(countsOf(await read(bridge), await read(worker), [await read(claimx)], null).dlqDepth, 0);
  });

  it('gives the completion rate since the previous line and names a process that does not answer', () => {
    const before = { eventsIn: 10, completed: 4, failed: 0, lag: 0, dlqDepth: 0 };
    const now = { eventsIn: 30, completed: 24, failed: 1, lag: 3, dlqDepth: 1 };
    assert.deepEqual(statusFields(now, before, 5, ['worker']), {
      events_in: 30,
      completed: 24,
      completed_per_s: 4,
      failed: 1,
      lag: 3,
      dlq: 1,
      not_answering: 'worker',
    });
    assert.equal(statusFields(now, null, 0, []).completed_per_s, null, 'no rate on the first line');
  });
});
