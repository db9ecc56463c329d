import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * STAND-IN for OneLake's DFS endpoint (ADLS Gen2). No real DFS server runs on these machines (Azurite serves the
 * Blob API only), so the OneLake adapter's DFS calls are tested against this small in-process server. It is not an
 * emulator: it implements only the request shapes our adapter uses, refuses every other shape with 400 and records
 * it, and checks the rules the real service enforces (contiguous append positions, flush at the written length,
 * rename source exists, SharedKey authorization present). Committed files live under `dir` on disk, laid out as
 * `<dir>/<workspace>/<path>`, so independent readers (delta-rs) can read what the adapter wrote.
 *
 * One port serves both the DFS and the Blob shapes, addressed like the real host-style endpoints
 * (http://127.0.0.1:<port>/<workspace>/<path>, as https://onelake.dfs.fabric.microsoft.com/<workspace>/<path>).
 */
export interface StandInRequest {
  readonly op: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly bytes: number;
}

export class OneLakeDfsStandIn {
  readonly requests: StandInRequest[] = [];
  /** Requests the real service would refuse or that break our own rules (e.g. a Delta commit made by DFS create). */
  readonly violations: string[] = [];
  /** Uncommitted appends per path: the bytes written since create, in order. */
  private readonly pending = new Map<string, Buffer[]>();
  private server?: http.Server;
  url = '';

  constructor(readonly dir: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, Buffer.concat(chunks), res);
        } catch (err) {
          this.violations.push(`stand-in error: ${(err as Error).message}`);
          reply(res, 500, 'InternalError', (err as Error).message);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests whose operation is `op` (e.g. 'dfs.create', 'blob.put'). */
  ops(op: string): StandInRequest[] {
    return this.requests.filter((r) => r.op === op);
  }

  private file(rel: string): string {
    const full = path.resolve(this.dir, rel);
    if (!full.startsWith(path.resolve(this.dir) + path.sep)) throw new Error(`path outside the stand-in: ${rel}`);
    return full;
  }

  private handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const q = url.searchParams;
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const method = req.method ?? 'GET';
    if (!/^SharedKey [^:]+:.+$/.test(String(req.headers.authorization ?? ''))) {
      this.violations.push(`${method} ${url.pathname}: no SharedKey authorization`);
      return reply(res, 403, 'AuthenticationFailed', 'no authorization');
    }
    if (!req.headers['x-ms-version']) this.violations.push(`${method} ${url.pathname}: no x-ms-version`);
    const rel = segments.map(decodeURIComponent).join('/');
    const op = operation(method, q, req.headers);
    this.requests.push({ op, path: rel, headers: req.headers, bytes: body.length });
    switch (op) {
      case 'dfs.list':
        return this.list(rel, q, res);
      case 'dfs.create':
        return this.create(rel, req.headers, res);
      case 'dfs.append':
        return this.append(rel, Number(q.get('position')), body, res);
      case 'dfs.flush':
        return this.flush(rel, Number(q.get('position')), res);
      case 'dfs.rename':
        return this.rename(rel, String(req.headers['x-ms-rename-source']), res);
      case 'dfs.delete':
        return this.remove(rel, res);
      case 'blob.put':
        return this.putBlob(rel, body, req.headers, res);
      case 'blob.properties':
      case 'blob.get':
        return this.read(rel, op, req.headers, res);
      default:
        return this.refuse(res, method, url.pathname + url.search, 'request shape not used by the adapter');
    }
  }

  private refuse(res: http.ServerResponse, method: string, what: string, why: string): void {
    this.violations.push(`${method} ${what}: ${why}`);
    reply(res, 400, 'UnsupportedRequest', why);
  }

  private create(rel: string, headers: http.IncomingHttpHeaders, res: http.ServerResponse): void {
    const target = this.file(rel);
    if (rel.includes('/_delta_log/') && rel.endsWith('.json') && !path.basename(rel).startsWith('.tmp-')) {
      this.violations.push(`DFS create of Delta commit ${rel}: readers would see an empty commit file`);
    }
    if (headers['if-none-match'] === '*' && fs.existsSync(target)) {
      return reply(res, 409, 'PathAlreadyExists', 'The specified path already exists.');
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.alloc(0)); // the real service makes the empty file visible at once
    this.pending.set(rel, []);
    ok(res, 201, target);
  }

  private append(rel: string, position: number, body: Buffer, res: http.ServerResponse): void {
    const parts = this.pending.get(rel);
    if (!parts) return reply(res, 404, 'PathNotFound', 'append to a path that was not created');
    const written = parts.reduce((n, b) => n + b.length, 0);
    if (position !== written) {
      this.violations.push(`append to ${rel} at ${position}, expected ${written}`);
      return reply(res, 400, 'InvalidFlushPosition', 'append position is not the end of the data');
    }
    parts.push(body);
    res.writeHead(202, standardHeaders()).end();
  }

  private flush(rel: string, position: number, res: http.ServerResponse): void {
    const parts = this.pending.get(rel);
    if (!parts) return reply(res, 404, 'PathNotFound', 'flush of a path that was not created');
    const data = Buffer.concat(parts);
    if (position !== data.length) {
      this.violations.push(`flush of ${rel} at ${position}, written ${data.length}`);
      return reply(res, 400, 'InvalidFlushPosition', 'flush position is not the written length');
    }
    fs.writeFileSync(this.file(rel), data);
    ok(res, 200, this.file(rel));
  }

  private rename(rel: string, source: string, res: http.ServerResponse): void {
    // x-ms-rename-source: /<filesystem>/<path>[?sas]
    const src = decodeURIComponent(source.split('?')[0]!).replace(/^\/+/, '');
    if (!fs.existsSync(this.file(src))) return reply(res, 404, 'SourcePathNotFound', `no ${src}`);
    if (this.pending.get(src)?.length && !fs.statSync(this.file(src)).size) {
      this.violations.push(`rename of ${src} before its data was flushed`);
    }
    fs.mkdirSync(path.dirname(this.file(rel)), { recursive: true });
    fs.renameSync(this.file(src), this.file(rel));
    this.pending.delete(src);
    ok(res, 201, this.file(rel));
  }

  private remove(rel: string, res: http.ServerResponse): void {
    const target = this.file(rel);
    if (!fs.existsSync(target)) return reply(res, 404, 'PathNotFound', 'The specified path does not exist.');
    fs.rmSync(target, { recursive: true });
    this.pending.delete(rel);
    res.writeHead(200, standardHeaders()).end();
  }

  private list(rel: string, q: URLSearchParams, res: http.ServerResponse): void {
    if (q.get('recursive') !== 'false') this.violations.push(`recursive listing of ${rel}`);
    const fsName = rel.split('/')[0];
    const dirRel = q.get('directory') ?? '';
    const dir = this.file(path.join(fsName!, dirRel));
    if (!fs.existsSync(dir)) return reply(res, 404, 'PathNotFound', 'The specified path does not exist.');
    const paths = fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
      const st = fs.statSync(path.join(dir, e.name));
      return {
        name: [dirRel, e.name].filter((s) => s !== '').join('/'),
        ...(e.isDirectory() ? { isDirectory: 'true' } : {}),
        contentLength: String(e.isDirectory() ? 0 : st.size),
        lastModified: st.mtime.toUTCString(),
        etag: etagOf(st),
      };
    });
    res.writeHead(200, { ...standardHeaders(), 'content-type': 'application/json' }).end(JSON.stringify({ paths }));
  }

  private putBlob(rel: string, body: Buffer, headers: http.IncomingHttpHeaders, res: http.ServerResponse): void {
    if (headers['x-ms-blob-type'] !== 'BlockBlob') return this.refuse(res, 'PUT', rel, 'Put Blob without BlockBlob');
    const target = this.file(rel);
    if (headers['if-none-match'] === '*' && fs.existsSync(target)) {
      return reply(res, 409, 'BlobAlreadyExists', 'The specified blob already exists.');
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.standin`;
    fs.writeFileSync(tmp, body);
    try {
      fs.linkSync(tmp, target); // atomic create, like the service's single-request Put Blob
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || headers['if-none-match'] === '*') throw err;
      fs.renameSync(tmp, target);
    }
    fs.rmSync(tmp, { force: true });
    ok(res, 201, target);
  }

  private read(rel: string, op: string, headers: http.IncomingHttpHeaders, res: http.ServerResponse): void {
    const target = this.file(rel);
    if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
      return reply(res, 404, 'BlobNotFound', 'The specified blob does not exist.', op === 'blob.properties');
    }
    const data = fs.readFileSync(target);
    const st = fs.statSync(target);
    const base = {
      ...standardHeaders(),
      etag: etagOf(st),
      'last-modified': st.mtime.toUTCString(),
      'x-ms-blob-type': 'BlockBlob',
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    if (op === 'blob.properties') return void res.writeHead(200, { ...base, 'content-length': data.length }).end();
    const range = /bytes=(\d+)-(\d*)/.exec(String(headers['x-ms-range'] ?? headers.range ?? ''));
    if (!range) return void res.writeHead(200, { ...base, 'content-length': data.length }).end(data);
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
    const slice = data.subarray(start, end + 1);
    res
      .writeHead(206, {
        ...base,
        'content-length': slice.length,
        'content-range': `bytes ${start}-${end}/${data.length}`,
      })
      .end(slice);
  }
}

function operation(method: string, q: URLSearchParams, headers: http.IncomingHttpHeaders): string {
  if (method === 'GET' && q.get('resource') === 'filesystem') return 'dfs.list';
  if (method === 'PUT' && q.get('resource') === 'file') return 'dfs.create';
  if (method === 'PUT' && headers['x-ms-rename-source']) return 'dfs.rename';
  if (method === 'PATCH' && q.get('action') === 'append') return 'dfs.append';
  if (method === 'PATCH' && q.get('action') === 'flush') return 'dfs.flush';
  if (method === 'DELETE' && [...q.keys()].every((k) => ['recursive', 'paginated', 'timeout'].includes(k)))
    return 'dfs.delete';
  if (method === 'PUT' && q.size === 0) return 'blob.put';
  if (method === 'HEAD' && q.size === 0) return 'blob.properties';
  if (method === 'GET' && q.size === 0) return 'blob.get';
  return `unknown ${method} ${q.toString()}`;
}

function standardHeaders(): Record<string, string> {
  return { 'x-ms-request-id': randomUUID(), 'x-ms-version': '2026-02-06', date: new Date().toUTCString() };
}

function etagOf(st: fs.Stats): string {
  return `"0x${Math.floor(st.mtimeMs * 1000).toString(16)}${st.size.toString(16)}"`;
}

function ok(res: http.ServerResponse, status: number, file: string): void {
  const st = fs.statSync(file);
  res.writeHead(status, { ...standardHeaders(), etag: etagOf(st), 'last-modified': st.mtime.toUTCString() }).end();
}

function reply(res: http.ServerResponse, status: number, code: string, message: string, head = false): void {
  const headers = { ...standardHeaders(), 'x-ms-error-code': code, 'content-type': 'application/json' };
  if (head) return void res.writeHead(status, headers).end();
  res.writeHead(status, headers).end(JSON.stringify({ error: { code, message } }));
}
