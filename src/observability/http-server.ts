import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A readiness probe: resolves to problems (empty = ready). Asked live, at most once per cache period. */
export type ReadinessCheck = () => Promise<string[]>;

/**
 * How long one readiness answer serves later probes: the checks ask Kafka and Temporal, and kubelet, Prometheus'
 * blackbox and `status` may probe several times a second; a second old answer is fresh enough for all of them.
 */
export const READY_CACHE_MS = 1000;
/** A readiness check that has not answered by then counts as a failure, and the next probe asks anew. */
export const READY_TIMEOUT_MS = 15_000;

export interface OpsServerOptions {
  /** Address to listen on (METRICS_HOST); default 0.0.0.0. */
  readonly host?: string;
  /** How long a readiness answer is reused (default READY_CACHE_MS). */
  readonly readyCacheMs?: number;
  /** How long a readiness check may take before it counts as failed (default READY_TIMEOUT_MS). */
  readonly readyTimeoutMs?: number;
}

export interface OpsServer {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (Prometheus text format), `/health/live` (the process is up) and `/health/ready` (503 with the
 * reasons while a dependency is not usable) on `host`:`port`. Probes that arrive while a readiness check runs share
 * it, and its answer serves the probes of the next `readyCacheMs`.
 */
export async function startOpsServer(
  port: number,
  registry: Registry,
  ready: ReadinessCheck,
  opts: OpsServerOptions = {},
): Promise<OpsServer> {
  const readiness = shared(ready, opts.readyCacheMs ?? READY_CACHE_MS, opts.readyTimeoutMs ?? READY_TIMEOUT_MS);
  const server = http.createServer((req, res) => {
    void handle(req.url ?? '/', registry, readiness).then(({ status, type, body }) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  const host = opts.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: address.address,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * `check` asked at most once at a time; its answer (a failure too) reused for `ttlMs` after it came. A check that
 * does not answer within `timeoutMs` is answered as a failure, so one hung call cannot hold every later probe.
 */
function shared(check: ReadinessCheck, ttlMs: number, timeoutMs: number): ReadinessCheck {
  let current: Promise<string[]> | undefined;
  let answeredAt = 0;
  return () => {
    if (current && (answeredAt === 0 || Date.now() - answeredAt < ttlMs)) return current;
    answeredAt = 0;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([`readiness check did not answer within ${timeoutMs} ms`]), timeoutMs);
      timer.unref();
    });
    const asked = Promise.race([check().catch((err: unknown) => [`readiness check failed: ${String(err)}`]), late]);
    current = asked;
    void asked.then(() => {
      clearTimeout(timer);
      if (current === asked) answeredAt = Date.now();
    });
    return asked;
  };
}

async function handle(url: string, registry: Registry, ready: ReadinessCheck) {
  const path = url.split('?')[0];
  if (path === '/metrics') return { status: 200, type: registry.contentType, body: await registry.metrics() };
  if (path === '/health/live') return json(200, { status: 'live' });
  if (path === '/health/ready') {
    const problems = await ready();
    return problems.length === 0 ? json(200, { status: 'ready' }) : json(503, { status: 'not ready', problems });
  }
  return json(404, { error: 'not found', endpoints: ['/metrics', '/health/live', '/health/ready'] });
}

function json(status: number, body: unknown) {
  return { status, type: 'application/json', body: JSON.stringify(body) };
}
