import crypto from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { payloadFromJson, payloadToJson } from './payload-json';

export interface CodecServerOptions {
  readonly host: string;
  readonly port: number;
  /** Origins allowed to call from a browser (the Temporal Web UI's address). */
  readonly corsOrigins: readonly string[];
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  readonly token: string;
  /** Listen beyond loopback with no token (`--insecure-no-token`): anyone who reaches it can decrypt payloads. */
  readonly allowNoToken?: boolean;
}

/** Refused at start: a non-loopback address with no token and no explicit `allowNoToken`. */
export class CodecServerRefused extends Error {}

/** `localhost`, 127.0.0.0/8 or ::1 (brackets allowed). */
export function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

/** The host name of a Host header value (port and IPv6 brackets dropped). */
function hostOf(header: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(header);
  if (bracketed) return bracketed[1] ?? '';
  const [host = ''] = header.split(':');
  return host;
}

const digest = (s: string): Buffer => crypto.createHash('sha256').update(s).digest();

/** The Authorization header against `Bearer <token>`, in constant time whatever the lengths (equal-size digests). */
function authorized(header: string | undefined, token: string): boolean {
  return crypto.timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}

export interface CodecServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Largest request body accepted (a Temporal payload is at most 2 MB by default; a request holds several). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The Temporal codec server protocol over `codec`: POST /encode and /decode (also under a namespace segment,
 * /{namespace}/decode, for the temporal CLI's templated --codec-endpoint), body and answer
 * `{"payloads": [{"metadata": {k: base64}, "data": base64}]}`. Answers CORS preflights for the allowed origins.
 * Bound to loopback it answers only requests whose Host is a loopback name (a DNS-rebinding page cannot reach it);
 * it refuses to listen elsewhere without a token unless `allowNoToken` says it is meant.
 */
export async function startCodecServer(codec: PayloadCodec, options: CodecServerOptions): Promise<CodecServer> {
  const loopback = isLoopbackName(options.host);
  if (!loopback && options.token === '' && !options.allowNoToken) {
    throw new CodecServerRefused(
      `refusing to listen on ${options.host} without CODEC_SERVER_TOKEN: whoever reaches it could decrypt payloads ` +
        '(set CODEC_SERVER_TOKEN, listen on 127.0.0.1, or pass --insecure-no-token if that is meant)',
    );
  }
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    const cors: Record<string, string> =
      origin && options.corsOrigins.includes(origin)
        ? {
            'access-control-allow-origin': origin,
            'access-control-allow-methods': 'POST, OPTIONS',
            'access-control-allow-headers': 'content-type, x-namespace, authorization',
            'access-control-allow-credentials': 'true',
            vary: 'origin',
          }
        : {};
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify(body));
    };
    const host = req.headers.host ?? '';
    if (loopback && !isLoopbackName(hostOf(host))) {
      send(403, { message: `Host ${JSON.stringify(host)} is not a loopback name: refused (DNS rebinding)` });
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    handle(req, codec, options.token)
      .then((body) => send(200, body))
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 400;
        send(status, { message: err instanceof Error ? err.message : String(err) });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(req: http.IncomingMessage, codec: PayloadCodec, token: string): Promise<unknown> {
  const path = (req.url ?? '/').split('?')[0]!;
  const op = /^(?:\/[^/]+)?\/(encode|decode)\/?$/.exec(path)?.[1];
  if (!op) throw new HttpError(404, `not found: ${path} (POST /encode or /decode)`);
  if (req.method !== 'POST') throw new HttpError(405, `${req.method ?? ''} ${path}: use POST`);
  if (token !== '' && !authorized(req.headers.authorization, token)) {
    throw new HttpError(401, 'missing or wrong Authorization: Bearer <token> (CODEC_SERVER_TOKEN)');
  }
  const body = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  const list = (parsed as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new HttpError(400, 'expected {"payloads": [...]}');
  const payloads: Payload[] = list.map((p, i) => payloadFromJson(p, `payloads[${i}]`));
  const out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
  return { payloads: out.map(payloadToJson) };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
