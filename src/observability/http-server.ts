import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A readiness probe: resolves to problems (empty = ready). Evaluated on every request, never cached at start. */
export type ReadinessCheck = () => Promise<string[]>;

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (Prometheus text format), `/health/live` (the process is up) and `/health/ready`
 * (503 with the reasons while a dependency is not usable) on 0.0.0.0:`port`.
 */
export async function startOpsServer(port: number, registry: Registry, ready: ReadinessCheck): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    void handle(req.url ?? '/', registry, ready).then(({ status, type, body }) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(url: string, registry: Registry, ready: ReadinessCheck) {
  const path = url.split('?')[0];
  if (path === '/metrics') return { status: 200, type: registry.contentType, body: await registry.metrics() };
  if (path === '/health/live') return json(200, { status: 'live' });
  if (path === '/health/ready') {
    const problems = await ready().catch((err: unknown) => [`readiness check failed: ${String(err)}`]);
    return problems.length === 0 ? json(200, { status: 'ready' }) : json(503, { status: 'not ready', problems });
  }
  return json(404, { error: 'not found', endpoints: ['/metrics', '/health/live', '/health/ready'] });
}

function json(status: number, body: unknown) {
  return { status, type: 'application/json', body: JSON.stringify(body) };
}
