import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { CircuitBreakers, CircuitOpenError } from '../../../src/resilience/circuit-breaker';
import { until } from '../../support/poll';

const transient = new Error('connection refused');
const permanent = Object.assign(new Error('404'), { permanent: true });

describe('circuit breakers (kafka_circuit_breaker_state / _failures_total)', () => {
  let registry: Registry;
  let breakers: CircuitBreakers;
  const value = async (name: string, component: string) => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
    return (m?.values as { value: number; labels: Record<string, string> }[]).find(
      (v) => v.labels.component === component,
    )?.value;
  };
  const fail = (err: Error) => () => Promise.reject(err);

  beforeEach(() => {
    registry = new Registry();
    breakers = new CircuitBreakers(registry);
  });

  it('opens after the threshold of counted failures, then refuses calls without making them', async () => {
    const b = breakers.get('onelake_client', { failureThreshold: 3, halfOpenAfterMs: 60_000 }, (e) => e === transient);
    assert.equal(await value('kafka_circuit_breaker_state', 'onelake_client'), 0);
    for (let i = 0; i < 2; i++) await assert.rejects(b.run(fail(transient)), /connection refused/);
    assert.equal(b.state, 'closed');
    await assert.rejects(b.run(fail(transient)), /connection refused/);
    assert.equal(b.state, 'open');
    assert.equal(await value('kafka_circuit_breaker_state', 'onelake_client'), 1);
    assert.equal(await value('kafka_circuit_breaker_failures_total', 'onelake_client'), 3);
    let called = false;
    await assert.rejects(
      b.run(async () => {
        called = true;
      }),
      (err: unknown) => err instanceof CircuitOpenError && err.component === 'onelake_client',
    );
    assert.equal(called, false);
  });

  it('does not count failures the predicate rejects, and a success resets the count', async () => {
    const b = breakers.get(
      'download:a.example',
      { failureThreshold: 2, halfOpenAfterMs: 60_000 },
      (e) => e !== permanent,
    );
    for (let i = 0; i < 5; i++) await assert.rejects(b.run(fail(permanent)));
    assert.equal(b.state, 'closed');
    await assert.rejects(b.run(fail(transient)));
    await b.run(async () => 'ok');
    await assert.rejects(b.run(fail(transient)));
    assert.equal(b.state, 'closed');
    assert.equal(await value('kafka_circuit_breaker_failures_total', 'download:a.example'), 2);
  });

  it('reports half-open when the wait is over and closes after a successful probe', async () => {
    const b = breakers.get('temporal', { failureThreshold: 1, halfOpenAfterMs: 150 });
    await assert.rejects(b.run(fail(transient)));
    assert.equal(b.state, 'open');
    await until(
      'the breaker reports half-open',
      async () => (await value('kafka_circuit_breaker_state', 'temporal')) === 2,
      undefined,
      5_000,
    );
    assert.equal(await b.run(async () => 'probe'), 'probe');
    assert.equal(b.state, 'closed');
    assert.equal(await value('kafka_circuit_breaker_state', 'temporal'), 0);
  });

  it('reopens when the probe fails; record() feeds outcomes of work it does not wrap', async () => {
    const b = breakers.get('kafka_consumer', { failureThreshold: 2, halfOpenAfterMs: 100 });
    b.record(transient);
    b.record(transient);
    await new Promise((r) => setImmediate(r)); // record() settles on the next turn
    assert.equal(b.state, 'open');
    await until('half-open', async () => b.state === 'half_open', undefined, 5_000);
    await assert.rejects(b.run(fail(transient)), /connection refused/);
    assert.equal(b.state, 'open');
    assert.deepEqual(breakers.open(), ['kafka_consumer']);
  });

  it('with a health probe, lets a call through as soon as the probe answers, long before the open wait is over', async () => {
    let up = false;
    let asked = 0;
    const check = async () => {
      asked++;
      if (!up) throw transient;
    };
    const b = breakers.get('temporal', {
      failureThreshold: 1,
      halfOpenAfterMs: 3_600_000,
      probe: { check, everyMs: 20 },
    });
    await assert.rejects(b.run(fail(transient)));
    assert.equal(b.state, 'open');
    await until('the probe was asked while down', async () => asked >= 3, undefined, 5_000);
    await assert.rejects(
      b.run(async () => 'refused'),
      (e: unknown) => e instanceof CircuitOpenError && e.retryAfterMs > 0,
    );
    assert.equal(b.state, 'open', 'a failing probe keeps the circuit open');
    up = true;
    await until('the breaker reports half-open', async () => b.state === 'half_open', undefined, 5_000);
    assert.equal(await b.run(async () => 'through'), 'through');
    assert.equal(b.state, 'closed');
    // Opened again, the probe starts over: one answer is not a pass for the next outage.
    up = false;
    await assert.rejects(b.run(fail(transient)));
    assert.equal(b.state, 'open');
    const before = asked;
    await until('asked again', async () => asked > before + 2, undefined, 5_000);
    await assert.rejects(
      b.run(async () => 'refused'),
      CircuitOpenError,
    );
  });
});
