import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { pipeline, Transform, type Readable } from 'node:stream';
import { contentTypeFits } from '../../shared/file-types';
import { fileNameOf, sanitizeUrl } from '../../shared/urls';
import { blockedReason } from './address-policy';
import { asDownloadError, DownloadError, statusErrorType } from './download-error';
import { checkUrl, type UrlPolicy } from './url-policy';

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
/** The addresses a host name resolves to: at least one. */
type Addresses = readonly [{ address: string; family: number }, ...{ address: string; family: number }[]];

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

export interface DownloaderOptions extends UrlPolicy {
  readonly maxRedirects: number;
  readonly maxBytes: number;
  /** Socket idle timeout: no byte for this long fails the attempt (transient). */
  readonly idleTimeoutMs: number;
  readonly resolve?: Resolver;
  readonly now?: () => Date;
}

export interface OpenedDownload {
  /** The response body; yields at most maxBytes bytes or fails with TooLarge. */
  readonly body: Readable;
  readonly contentType: string | null;
  readonly contentLength: number | null;
  readonly finalUrl: string;
  readonly redirects: number;
}

/**
 * SSRF-safe HTTP GET: every hop passes the URL policy, the host is resolved by us and every resolved address is
 * checked before connecting, the socket connects only to a checked address (so DNS rebinding between check and
 * connect is impossible) and the peer address is checked again once connected. Redirects are followed by hand.
 */
export class Downloader {
  private readonly resolve: Resolver;
  private readonly now: () => Date;

  constructor(private readonly opts: DownloaderOptions) {
    this.resolve = opts.resolve ?? systemResolver;
    this.now = opts.now ?? (() => new Date());
  }

  async open(rawUrl: string, signal: AbortSignal): Promise<OpenedDownload> {
    let current = rawUrl;
    for (let hop = 0; ; hop++) {
      const url = checkUrl(current, this.opts, this.now());
      const res = await this.request(url, signal);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hop >= this.opts.maxRedirects) {
          throw new DownloadError(
            'TooManyRedirects',
            `more than ${this.opts.maxRedirects} redirects from ${sanitizeUrl(rawUrl)}`,
          );
        }
        current = new URL(res.headers.location, url).toString();
        continue;
      }
      if (status !== 200) {
        res.resume();
        throw new DownloadError(statusErrorType(status), `HTTP ${status} from ${sanitizeUrl(current)}`, status);
      }
      return this.accept(res, current, hop);
    }
  }

  private accept(res: http.IncomingMessage, url: string, redirects: number): OpenedDownload {
    const contentType = res.headers['content-type'] ?? null;
    const { ext } = fileNameOf(url);
    if (!contentTypeFits(ext, contentType ?? undefined)) {
      res.destroy();
      throw new DownloadError(
        'ContentTypeNotAllowed',
        `Content-Type ${contentType} does not fit .${ext}: ${sanitizeUrl(url)}`,
        200,
      );
    }
    const length = res.headers['content-length'] !== undefined ? Number(res.headers['content-length']) : null;
    if (length !== null && length > this.opts.maxBytes) {
      res.destroy();
      throw new DownloadError(
        'TooLarge',
        `${length} bytes exceeds the ${this.opts.maxBytes}-byte limit: ${sanitizeUrl(url)}`,
        200,
      );
    }
    // Counting happens in a Transform (a 'data' listener would start the flow before the caller reads).
    const max = this.opts.maxBytes;
    let seen = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (seen > max)
          done(new DownloadError('TooLarge', `body exceeds the ${max}-byte limit: ${sanitizeUrl(url)}`, 200));
        else done(null, chunk);
      },
    });
    res.on('aborted', () =>
      res.destroy(new DownloadError('NetworkTransient', `connection closed mid-body: ${sanitizeUrl(url)}`)),
    );
    pipeline(res, limiter, (err) => {
      if (err) limiter.destroy(asDownloadError(err, `reading ${sanitizeUrl(url)}`) as Error);
    });
    return { body: limiter, contentType, contentLength: length, finalUrl: url, redirects };
  }

  private async request(url: URL, signal: AbortSignal): Promise<http.IncomingMessage> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses: Addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await this.lookup(host);
    for (const a of addresses) {
      const why = blockedReason(a.address, this.opts);
      if (why)
        throw new DownloadError(
          'PrivateAddress',
          `${host} resolves to ${why}; refusing to connect (${sanitizeUrl(url.toString())})`,
        );
    }
    const [target] = addresses;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'GET',
          signal,
          headers: { 'user-agent': 'kafka-pipeline/0.1', accept: '*/*' },
          // Connect to the address we checked, never to a fresh resolution of the name.
          lookup: ((_h: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
            if (options?.all) cb(null, [target]);
            else cb(null, target.address, target.family);
          }) as unknown as net.LookupFunction,
        },
        (res) => {
          const peer = res.socket.remoteAddress;
          const why = peer ? blockedReason(peer, this.opts) : 'unknown peer address';
          if (why) {
            res.destroy();
            reject(
              new DownloadError('PrivateAddress', `connected peer ${why}; aborted (${sanitizeUrl(url.toString())})`),
            );
            return;
          }
          resolve(res);
        },
      );
      req.setTimeout(this.opts.idleTimeoutMs, () =>
        req.destroy(
          new DownloadError('NetworkTransient', `no data for ${this.opts.idleTimeoutMs} ms from ${url.host}`),
        ),
      );
      req.on('error', (err) => reject(asDownloadError(err, `GET ${sanitizeUrl(url.toString())}`)));
      req.end();
    });
  }

  private async lookup(host: string): Promise<Addresses> {
    try {
      const [first, ...more] = await this.resolve(host);
      if (!first) throw Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' });
      return [first, ...more];
    } catch (err) {
      throw asDownloadError(err, `resolving ${host}`);
    }
  }
}
