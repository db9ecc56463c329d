import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { Registry } from 'prom-client';
import { Admission, HELD_BACK_RECOUNT_MS } from '../../../src/bridge/admission';
import { BridgeMetrics } from '../../../src/bridge/bridge-metrics';
import { createLogger } from '../../../src/observability/logger';

/** A client whose `workflow.count` answers from `answers` in turn, each when `release()` is called. */
function countingClient(answers: number[]) {
  const queries: string[] = [];
  const pending: (() => void)[] = [];
  const client = {
    workflow: {
      count: (query: string) => {
        queries.push(query);
        const count = answers.shift() ?? 0;
        return new Promise((resolve) => pending.push(() => resolve({ count })));
      },
    },
  } as unknown as Client;
  const release = async () => {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { client, queries, release };
}

describe('bridge admission (BRIDGE_MAX_OPEN_WORKFLOWS)', () => {
  const log = createLogger('bridge', { level: 'error', write: () => undefined });
  const metrics = new BridgeMetrics(new Registry(), 'topic', 'group');

  it('counts again soon while it holds starts back, one count at a time, and admits once runs have ended', async () => {
    let now = 0;
    const { client, queries, release } = countingClient([200, 150, 90]);
    const admission = new Admission(client, 'queue', 200, metrics, () => now);
    const stop = admission.start(60_000, log); // the timer alone would count again only after a minute
    try {
      assert.equal(queries.length, 1);
      assert.equal(queries[0], "TaskQueue = 'queue' AND ExecutionStatus = 'Running'");
      await release(); // 200 running: the limit
      assert.equal(admission.admits(), false);
      assert.equal(queries.length, 1, 'counted just now: not again yet');

      now += HELD_BACK_RECOUNT_MS;
      assert.equal(admission.admits(), false);
      assert.equal(admission.admits(), false);
      assert.equal(queries.length, 2, 'one recount while held back, shared by every caller');
      await release(); // 150 running
      assert.equal(admission.admits(), true);
      assert.equal(queries.length, 2, 'no recount while it admits');

      for (let i = 0; i < 50; i++) admission.started();
      assert.equal(admission.admits(), false, 'its own starts count at once');
      now += HELD_BACK_RECOUNT_MS - 1;
      assert.equal(admission.admits(), false);
      assert.equal(queries.length, 2, 'not before the recount interval');
      now += 1;
      admission.admits();
      await release(); // 90 running
      assert.equal(admission.admits(), true);
    } finally {
      await stop();
    }
  });

  it('without a limit admits everything and never counts', async () => {
    const { client, queries } = countingClient([]);
    const admission = new Admission(client, 'queue', 0, metrics);
    const stop = admission.start(10, log);
    assert.equal(admission.admits(), true);
    assert.equal(queries.length, 0);
    await stop();
  });
});
