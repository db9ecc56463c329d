import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { loadConfig } from '../../../src/config/config';
import { startOpsServer, type OpsServer } from '../../../src/observability/http-server';
import { until } from '../../support/poll';

/**
 * The /metrics and /health/* server (issue 30 item 10): it listens where METRICS_HOST says, and /health/ready asks
 * the live dependency checks at most once per cache period, however many probes arrive at once.
 */
describe('ops server: bind address and readiness cache', () => {
  const servers: OpsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('METRICS_HOST: 0.0.0.0 by default (pods and containers are scraped and probed on their own address)', () => {
    assert.equal(loadConfig({}).metricsHost, '0.0.0.0');
    assert.equal(loadConfig({ METRICS_HOST: '127.0.0.1' }).metricsHost, '127.0.0.1');
    assert.equal(loadConfig({ METRICS_HOST: '::' }).metricsHost, '::');
    for (const bad of ['not a host', 'localhost', '0.0.0.0:8000'])
      assert.throws(() => loadConfig({ METRICS_HOST: bad }), /METRICS_HOST/, bad);
  });

  it('listens on the address it is given', async () => {
    const ops = await startOpsServer(0, new Registry(), () => Promise.resolve([]), { host: '127.0.0.1' });
    servers.push(ops);
    assert.equal(ops.host, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${ops.port}/health/live`);
    assert.equal(res.status, 200);
  });

  it('many probes at once share one readiness check, and its answer', async () => {
    let calls = 0;
    const waiting: ((problems: string[]) => void)[] = [];
    let known: string[] | undefined;
    const release = (problems: string[]) => {
      known = problems;
      waiting.splice(0).forEach((answer) => answer(problems));
    };
    const ready = () => {
      calls++;
      return known ? Promise.resolve(known) : new Promise<string[]>((resolve) => waiting.push(resolve));
    };
    const ops = await startOpsServer(0, new Registry(), ready, { host: '127.0.0.1', readyCacheMs: 60_000 });
    servers.push(ops);
    const probes = Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${ops.port}/health/ready`));
    const served = await fetch(`http://127.0.0.1:${ops.port}/health/live`); // the 20 probes are in by now
    assert.equal(served.status, 200);
    await until('the check has started', () => Promise.resolve(calls > 0), undefined, 10_000);
    release(['kafka: broker down']);
    const answers = await Promise.all(probes);
    assert.deepEqual(
      answers.map((r) => r.status),
      answers.map(() => 503),
    );
    const again = await fetch(`http://127.0.0.1:${ops.port}/health/ready`);
    assert.deepEqual(await again.json(), { status: 'not ready', problems: ['kafka: broker down'] });
    assert.equal(calls, 1, 'one check for 21 probes within the cache period');
  });

  it('asks again once the cache period is over, and a failed check is not kept longer than an answer', async () => {
    let calls = 0;
    const ready = () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('temporal: unavailable')) : Promise.resolve([]);
    };
    const ops = await startOpsServer(0, new Registry(), ready, { host: '127.0.0.1', readyCacheMs: 20 });
    servers.push(ops);
    const first = await fetch(`http://127.0.0.1:${ops.port}/health/ready`);
    assert.equal(first.status, 503);
    assert.match(JSON.stringify(await first.json()), /readiness check failed: .*temporal: unavailable/);
    await until(
      'a later probe is answered by a new check',
      async () => (await fetch(`http://127.0.0.1:${ops.port}/health/ready`)).status === 200,
      async () => `${calls} checks`,
      10_000,
    );
    assert.ok(calls >= 2);
  });

  it('a check that never answers is a failure after its timeout, and does not hold later probes', async () => {
    let calls = 0;
    const ready = () => {
      calls++;
      return calls === 1 ? new Promise<string[]>(() => undefined) : Promise.resolve([]);
    };
    const ops = await startOpsServer(0, new Registry(), ready, {
      host: '127.0.0.1',
      readyCacheMs: 20,
      readyTimeoutMs: 50,
    });
    servers.push(ops);
    const first = await fetch(`http://127.0.0.1:${ops.port}/health/ready`);
    assert.equal(first.status, 503);
    assert.match(JSON.stringify(await first.json()), /did not answer within 50 ms/);
    await until(
      'a later probe is answered by a new check',
      async () => (await fetch(`http://127.0.0.1:${ops.port}/health/ready`)).status === 200,
      async () => `${calls} checks`,
      10_000,
    );
  });
});
