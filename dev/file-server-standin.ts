import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { sampleBody, sampleContentType } from './sample-files';

/**
 * STAND-IN for the file servers that attachment URLs point at (the demo, `kafka-pipeline sample-server`, tests,
 * bench and soak); not shipped code. The URL path says how it answers; the last segment is the file name:
 *   /files/<...>/<name>.<ext>                 200 with a deterministic body (?bytes=N, default 102400)
 *   /status/<code>/<...>/<name>.<ext>         that HTTP status
 *   /flaky/<n>/<...>/<name>.<ext>             503 for the first n requests of this exact path, then 200
 *   /slow/<ms>/<...>/<name>.<ext>             waits ms before answering 200
 *   /type/<mime with ~ for />/<...>/<name>    200 with that Content-Type
 *   /redirect/<...>?to=<url>                  302 to the given URL
 *   /outage/<name>/<...>/<name>.<ext>         503 while outage <name> is on (on until cleared), then 200
 *   POST /_outage/<name>?on=false             clears outage <name> (on=true starts it again); also outage(name, on)
 *   /_stats                                   JSON: requests per path (tests assert what was fetched)
 */
export interface FileServerStandin {
  readonly url: string;
  readonly port: number;
  requests(path?: string): number;
  /** Turns the named outage of /outage/<name>/... on (503) or off (200). */
  outage(name: string, on: boolean): void;
  close(): Promise<void>;
}

const DEFAULT_BYTES = 100 * 1024;

export async function startFileServerStandin(opts: { port?: number; host?: string } = {}): Promise<FileServerStandin> {
  const counts = new Map<string, number>();
  const cleared = new Set<string>();
  const outage = (name: string, on: boolean) => void (on ? cleared.delete(name) : cleared.add(name));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sample');
    const path = url.pathname;
    if (path === '/_stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(counts)));
      return;
    }
    if (path.startsWith('/_outage/') && req.method === 'POST') {
      const name = decodeURIComponent(path.slice('/_outage/'.length));
      outage(name, url.searchParams.get('on') !== 'false');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ outage: name, on: !cleared.has(name) }));
      return;
    }
    const seen = (counts.get(path) ?? 0) + 1;
    counts.set(path, seen);
    const [, route, arg] = path.split('/');
    const name = path.split('/').pop() ?? '';
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    const bytes = Number(url.searchParams.get('bytes') ?? DEFAULT_BYTES);
    const ok = (contentType = sampleContentType(ext)) => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes) });
      Readable.from(sampleBody(path, ext, bytes)).pipe(res);
    };
    switch (route) {
      case 'files':
        return ok();
      case 'status':
        return void res.writeHead(Number(arg) || 500, { 'content-type': 'text/plain' }).end(`sample status ${arg}\n`);
      case 'flaky':
        if (seen <= Number(arg)) return void res.writeHead(503, { 'retry-after': '1' }).end('sample: try again\n');
        return ok();
      case 'outage':
        if (!cleared.has(decodeURIComponent(arg ?? ''))) {
          return void res.writeHead(503, { 'retry-after': '1' }).end(`sample: outage ${arg}\n`);
        }
        return ok();
      case 'slow':
        return void setTimeout(() => ok(), Number(arg) || 0);
      case 'type':
        return ok(decodeURIComponent(arg ?? '').replace(/~/g, '/'));
      case 'redirect':
        return void res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      default:
        return void res.writeHead(404, { 'content-type': 'text/plain' }).end('sample: unknown route\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    outage,
    requests: (p?: string) =>
      p === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(p) ?? 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
