import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { DownloadError } from '../../../../src/adapters/http/download-error';
import { checkUrl, type UrlPolicy } from '../../../../src/adapters/http/url-policy';
import { loadConfig } from '../../../../src/config/config';
import { CircuitBreakers } from '../../../../src/resilience/circuit-breaker';

/**
 * State that input can grow stays bounded (issue 30 item 8, issue 31 deliver 4): an https attachment URL may name
 * only an allowed port, and the per-host download breakers (with their metric series) are a least-recently-used
 * set of at most BREAKER_MAX_HOSTS, whose evictions are counted.
 */
const policy: UrlPolicy = {
  allowedHosts: new Set(['files.example.com', '127.0.0.1']),
  httpHosts: new Set(['127.0.0.1']),
  allowLoopback: true,
  allowedPorts: new Set([443]),
};
const now = new Date('2026-01-01T00:00:00Z');

function refusal(url: string, p: UrlPolicy = policy): DownloadError | undefined {
  try {
    checkUrl(url, p, now);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof DownloadError);
    return err;
  }
}

describe('attachment URL ports (issue 30 item 8)', () => {
  it('refuses an https URL on a port that is not allowed, without a request', () => {
    for (const port of [8443, 1, 22, 6379, 65535]) {
      const err = refusal(`https://files.example.com:${port}/a/estimate.pdf`);
      assert.equal(err?.type, 'UrlNotAllowed', String(port));
      assert.match(err?.message ?? '', new RegExp(`port ${port}.*DOWNLOAD_ALLOWED_PORTS`));
    }
  });

  it('accepts the default https port, written or not, and other ports the setting allows', () => {
    assert.equal(refusal('https://files.example.com/a/estimate.pdf'), undefined);
    assert.equal(refusal('https://files.example.com:443/a/estimate.pdf'), undefined);
    const wider = { ...policy, allowedPorts: new Set([443, 8443]) };
    assert.equal(refusal('https://files.example.com:8443/a/estimate.pdf', wider), undefined);
  });

  it('plain-http test hosts (DOWNLOAD_HTTP_HOSTS) keep any port: the local sample server picks a free one', () => {
    assert.equal(refusal('http://127.0.0.1:40123/a/estimate.pdf'), undefined);
  });

  it('DOWNLOAD_ALLOWED_PORTS defaults to 443 and takes a comma-separated list', () => {
    assert.deepEqual([...loadConfig({}).downloadAllowedPorts], [443]);
    assert.deepEqual([...loadConfig({ DOWNLOAD_ALLOWED_PORTS: '443, 8443' }).downloadAllowedPorts], [443, 8443]);
    assert.throws(() => loadConfig({ DOWNLOAD_ALLOWED_PORTS: '443,https' }), /DOWNLOAD_ALLOWED_PORTS/);
    assert.equal(loadConfig({}).breakerMaxHosts, 256);
  });
});

describe('per-host breakers are bounded (issue 31 deliver 4)', () => {
  const settings = { failureThreshold: 1, halfOpenAfterMs: 3_600_000 };
  const transient = new Error('connection reset');
  let registry: Registry;
  const series = async (name: string): Promise<string[]> => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
    return ((m?.values ?? []) as { labels: Record<string, string> }[]).map((v) => String(v.labels.component ?? ''));
  };
  const evictions = async (): Promise<number> => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === 'kafka_circuit_breaker_evictions_total');
    return ((m?.values ?? []) as { value: number }[]).reduce((s, v) => s + v.value, 0);
  };

  beforeEach(() => (registry = new Registry()));

  it('1,000 hosts make at most the cap of breakers and series; every eviction is counted', async () => {
    const breakers = new CircuitBreakers(registry, undefined, { maxHosts: 16 });
    breakers.get('temporal', settings); // a fixed dependency: never evicted
    for (let i = 0; i < 1000; i++) {
      const b = breakers.forHost(`files.example.com:${1000 + i}`, settings, () => true);
      await assert.rejects(b.run(() => Promise.reject(transient)));
    }
    const state = await series('kafka_circuit_breaker_state');
    assert.equal(state.filter((c) => c.startsWith('download:')).length, 16);
    assert.ok(state.includes('temporal'));
    assert.equal((await series('kafka_circuit_breaker_failures_total')).length, 16);
    assert.equal(await evictions(), 1000 - 16);
    assert.equal(breakers.open().length, 16);
  });

  it('keeps the recently used and the open breakers; drops the least recently used closed one', async () => {
    const breakers = new CircuitBreakers(registry, undefined, { maxHosts: 3 });
    const down = breakers.forHost('down.example', settings, () => true);
    await assert.rejects(down.run(() => Promise.reject(transient)));
    const a = breakers.forHost('a.example', settings, () => true);
    breakers.forHost('b.example', settings, () => true);
    assert.equal(
      breakers.forHost('a.example', settings, () => true),
      a,
      'the same breaker while kept',
    );
    breakers.forHost('c.example', settings, () => true); // b is the least recently used closed one
    const kept = (await series('kafka_circuit_breaker_state')).sort();
    assert.deepEqual(kept, ['download:a.example', 'download:c.example', 'download:down.example']);
    assert.equal(breakers.forHost('down.example', settings, () => true).state, 'open', 'an open host stays open');
    assert.equal(await evictions(), 1);
  });

  it('an evicted breaker still in use reports nothing more (its series stay gone)', async () => {
    const breakers = new CircuitBreakers(registry, undefined, { maxHosts: 1 });
    const old = breakers.forHost('old.example', settings, () => true);
    breakers.forHost('new.example', settings, () => true);
    await assert.rejects(old.run(() => Promise.reject(transient)));
    assert.deepEqual(await series('kafka_circuit_breaker_state'), ['download:new.example']);
    assert.deepEqual(await series('kafka_circuit_breaker_failures_total'), []);
  });
});
