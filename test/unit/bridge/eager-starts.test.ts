import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { Registry } from 'prom-client';
import { BridgeMetrics } from '../../../src/bridge/bridge-metrics';
import { toStartRequest } from '../../../src/domains/xact/start';
import { startWorkflow } from '../../../src/bridge/workflow-starter';
import { loadConfig } from '../../../src/config/config';
import { parseMetrics, share } from '../../../src/observability/scrape';

const EAGER = 'pipeline_workflow_eager_starts_total';

/** A client whose start succeeds, keeping the options it was given; `eagerly`: what the server answered. */
function recordingClient(eagerly: boolean) {
  const options: Record<string, unknown>[] = [];
  const client = {
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
    workflow: {
      start: (_type: string, opts: Record<string, unknown>) => {
        options.push(opts);
        return Promise.resolve({ eagerlyStarted: eagerly });
      },
    },
  } as unknown as Client;
  return { client, options };
}

const req = toStartRequest(loadConfig({}), 't', 0, {
  key: null,
  value: Buffer.from('not json'),
  offset: '1',
  timestamp: '0',
});

describe('eager workflow start (issue 32 item 3): asked for only by the combined process, its hit rate counted', () => {
  it('startWorkflow asks for eager start only when told to, and reports whether the server started eagerly', async () => {
    const plain = recordingClient(false);
    assert.deepEqual(await startWorkflow(plain.client, 'q', req), { outcome: 'started', eagerly: false });
    assert.equal('requestEagerStart' in plain.options[0]!, false, 'the separate bridge sends what it sent before');
    const eager = recordingClient(true);
    assert.deepEqual(await startWorkflow(eager.client, 'q', req, true), { outcome: 'started', eagerly: true });
    assert.equal(eager.options[0]!.requestEagerStart, true);
  });

  it('the eager counter exists (at 0) only in a bridge that asks for eager start, and gives the hit ratio', async () => {
    const separate = new Registry();
    new BridgeMetrics(separate, 't', 'g').eagerStart(true);
    assert.equal(parseMetrics(await separate.metrics()).filter((s) => s.name === EAGER).length, 0);

    const combined = new Registry();
    const metrics = new BridgeMetrics(combined, 't', 'g', true);
    const samples = async () => parseMetrics(await combined.metrics());
    assert.deepEqual(
      (await samples()).filter((s) => s.name === EAGER).map((s) => [s.labels.eager, s.value]),
      [
        ['true', 0],
        ['false', 0],
      ],
    );
    assert.equal(share(await samples(), EAGER, { eager: 'true' }), undefined, 'no ratio before the first start');
    for (const eagerly of [true, true, false, true]) metrics.eagerStart(eagerly);
    assert.equal(share(await samples(), EAGER, { eager: 'true' }), 0.75);
  });
});
