import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { METRICS } from '../../src/observability/metric-catalogue';
import { scrape } from '../../src/observability/scrape';
import { xactWorkflowId } from '../../src/shared/ids';
import { readWithDeltaRs } from '../support/delta-rs';
import { freePort } from '../support/free-port';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import {
  localPipelineEnv,
  startPipelineProcess,
  stopPipelineProcess,
  type PipelineProcess,
} from '../support/processes';
import { ensureStack } from '../support/stack';

/**
 * `kafka-pipeline dlq-monitor` (issue 33 item 4): the one process of a deployment that counts the DLQ into the
 * `pipeline_dlq_*` gauges and archives failed runs in the lakehouse (the bridge no longer does either).
 */
describe('the DLQ monitor process (kafka-pipeline dlq-monitor)', function () {
  this.timeout(300_000);
  let h: PipelineHarness;
  let monitor: PipelineProcess | undefined;
  let port: number;
  const tail = async () => monitor?.output.slice(-20).join('\n') ?? '';

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({ RETRY_MAX_ATTEMPTS: '2' });
    port = await freePort();
  });
  after(async () => {
    if (monitor && monitor.child.exitCode === null) monitor.child.kill('SIGKILL');
    await h?.stop();
  });

  it('exports the DLQ gauges, archives a failed run, is ready, and stops by itself on SIGTERM', async () => {
    const traceId = `monitor-${randomUUID()}`;
    await h.produceEvents([{ ...h.eventWith(1, [`${h.sample.url}/status/404/monitor/estimate.pdf`]), traceId }]);
    const wf = xactWorkflowId(traceId);
    assert.equal((await h.waitFor([wf])).get(wf)!.status, 'failed');

    monitor = await startPipelineProcess(
      'dlq-monitor',
      localPipelineEnv(`monitor-${traceId}`, h.lakehouse, {
        METRICS_PORT: String(port),
        DLQ_METRICS_INTERVAL_S: '1',
        LOG_FORMAT: 'json',
      }),
    );
    const base = `http://127.0.0.1:${port}`;
    await until(
      'the failed run is in the lakehouse archive',
      async () => {
        const rows = await readWithDeltaRs(path.join(h.lakehouse, 'Tables', 'pipeline_dlq')).then(
          (v) => v.rows,
          () => [],
        );
        return rows.some((r) => r.workflow_id === wf && r.state === 'failed');
      },
      tail,
    );

    const samples = (await scrape(`${base}/metrics`)) ?? [];
    const text = await fetch(`${base}/metrics`).then((r) => r.text());
    for (const [name, def] of Object.entries(METRICS) as [string, { type: string; processes: readonly string[] }][])
      if (def.processes.includes('dlq-monitor'))
        assert.match(text, new RegExp(`^# TYPE ${name} ${def.type}$`, 'm'), name);
    const depth = samples.filter((s) => s.name === 'pipeline_dlq_depth' && s.labels.domain === 'xact');
    assert.ok(depth.reduce((n, s) => n + s.value, 0) >= 1, 'the failed event counts in the depth');
    assert.ok(samples.every((s) => s.labels.service === 'dlq-monitor'));
    assert.equal((await fetch(`${base}/health/ready`)).status, 200);
    assert.equal((await fetch(`${base}/health/live`)).status, 200);

    const stopped = await stopPipelineProcess(monitor);
    assert.equal(stopped.code, 0, await tail());
    assert.ok(
      monitor.output.some((l) => l.includes('DLQ monitor stopped')),
      await tail(),
    );
    assert.ok(!monitor.output.some((l) => l.includes('did not exit by itself')), await tail());
  });
});
