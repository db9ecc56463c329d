import assert from 'node:assert/strict';
import { xactWorkflowId } from '../../src/shared/ids';
import { PipelineHarness } from '../support/pipeline-harness';
import { ensureStack } from '../support/stack';

/**
 * The per-host download breaker on the real stack: a source that keeps answering 503 stops being called once its
 * breaker opens (attempts fail fast as CircuitOpen, retried when a probe may go through), and a probe after the
 * source recovered closes it again.
 */
describe('download host circuit breaker', function () {
  this.timeout(600_000);
  let h: PipelineHarness;

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({
      BREAKER_DOWNLOAD_FAILURE_THRESHOLD: '3',
      BREAKER_OPEN_S: '3',
      RETRY_MAX_ATTEMPTS: '3',
      MAX_PARALLEL_ATTACHMENTS: '1',
    });
  });
  after(() => h?.stop());

  const outageRequests = async () => {
    const stats = (await fetch(`${h.sample.url}/_stats`).then((r) => r.json())) as Record<string, number>;
    return Object.entries(stats)
      .filter(([p]) => p.startsWith('/outage/down/'))
      .reduce((n, [, c]) => n + c, 0);
  };

  it('stops calling a failing host, fails its runs as circuit_open, and closes after the host recovers', async () => {
    const events = Array.from({ length: 8 }, (_, i) =>
      h.eventWith(i, [`${h.sample.url}/outage/down/e${i}/estimate.pdf`]),
    );
    await h.produceEvents(events);
    const runs = await h.waitFor(events.map((e) => xactWorkflowId(String(e.traceId))));
    assert.ok([...runs.values()].every((r) => r.status === 'failed'));
    const categories = [...runs.values()].map((r) => String(r.searchAttributes.ErrorCategory));
    assert.ok(categories.includes('circuit_open'), categories.join(','));
    assert.ok(
      categories.every((c) => c === 'circuit_open' || c === 'transient'),
      categories.join(','),
    );
    // Without the breaker every attempt is a request: 8 runs x (1 local attempt + 3 regular attempts). The breaker
    // refused some of them.
    const requests = await outageRequests();
    assert.ok(requests < 8 * (1 + 3), `${requests} requests reached the failing host`);

    h.sample.outage('down', false);
    const ok = h.eventWith(100, [`${h.sample.url}/outage/down/ok/estimate.pdf`]);
    await h.produceEvents([ok]);
    const [after] = (await h.waitFor([xactWorkflowId(String(ok.traceId))])).values();
    assert.equal(after!.status, 'completed', after!.message);
  });
});
