import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { blockedReason } from '../../../../src/adapters/http/address-policy';
import { DownloadError } from '../../../../src/adapters/http/download-error';
import { Downloader, type DownloaderOptions } from '../../../../src/adapters/http/downloader';
import { sampleBody } from '../../../../dev/sample-files';
import { startFileServerStandin, type FileServerStandin } from '../../../../dev/file-server-standin';

const hosts = new Set(['127.0.0.1', 'localhost', 'internal.test']);
const base: DownloaderOptions = {
  allowedHosts: hosts,
  httpHosts: hosts,
  allowLoopback: true,
  maxRedirects: 3,
  maxBytes: 1_000_000,
  idleTimeoutMs: 5_000,
  // internal.test stands for an allowlisted name whose DNS answer is a private address.
  resolve: async (host) =>
    host === 'internal.test' ? [{ address: '10.1.2.3', family: 4 }] : [{ address: '127.0.0.1', family: 4 }],
};

async function failure(d: Downloader, url: string): Promise<DownloadError> {
  try {
    const opened = await d.open(url, new AbortController().signal);
    await buffer(opened.body);
  } catch (err) {
    assert.ok(err instanceof DownloadError, `expected a DownloadError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${url} to fail`);
}

describe('SSRF-safe downloader', () => {
  let server: FileServerStandin;
  before(async () => (server = await startFileServerStandin()));
  after(() => server.close());

  it('streams the exact body with its content type', async () => {
    const d = new Downloader(base);
    const opened = await d.open(`${server.url}/files/a/estimate.pdf?bytes=200000`, new AbortController().signal);
    const got = await buffer(opened.body);
    assert.equal(opened.contentType, 'application/pdf');
    assert.ok(got.equals(Buffer.concat([...sampleBody('/files/a/estimate.pdf', 'pdf', 200_000)])));
  });

  it('classifies HTTP statuses: 404 permanent, 401 auth, 503 and 429 transient', async () => {
    const d = new Downloader(base);
    const cases: [number, string][] = [
      [404, 'HttpPermanent'],
      [403, 'HttpPermanent'],
      [401, 'HttpAuth'],
      [503, 'HttpTransient'],
      [429, 'HttpTransient'],
    ];
    for (const [status, type] of cases) {
      const err = await failure(d, `${server.url}/status/${status}/x.pdf`);
      assert.equal(err.type, type);
      assert.equal(err.httpStatus, status);
    }
  });

  it('refuses without sending a request: other hosts, plain http, expired presigned URLs, disallowed types', async () => {
    const before = server.requests();
    const strict = new Downloader({ ...base, httpHosts: new Set() });
    assert.equal((await failure(strict, `${server.url}/files/a.pdf`)).type, 'UrlNotAllowed');
    assert.equal((await failure(new Downloader(base), 'https://evil.example/a.pdf')).type, 'UrlNotAllowed');
    assert.equal((await failure(new Downloader(base), 'ftp://127.0.0.1/a.pdf')).type, 'UrlNotAllowed');
    const expired = await failure(
      new Downloader(base),
      `${server.url}/files/e.pdf?X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-Signature=s3cr3t`,
    );
    assert.equal(expired.type, 'PresignedUrlExpired');
    assert.match(expired.message, /expired at 2020-01-01T00:01:00.000Z/);
    assert.doesNotMatch(expired.message, /s3cr3t/);
    assert.equal((await failure(new Downloader(base), `${server.url}/files/tool.exe`)).type, 'FileTypeNotAllowed');
    assert.equal((await failure(new Downloader(base), `${server.url}/files/README`)).type, 'FileTypeNotAllowed');
    assert.equal(server.requests(), before);
  });

  it('refuses an allowlisted name that resolves to loopback while loopback is not allowed', async () => {
    const before = server.requests();
    const err = await failure(
      new Downloader({ ...base, allowLoopback: false, resolve: undefined }),
      `http://localhost:${server.port}/files/a.pdf`,
    );
    assert.equal(err.type, 'PrivateAddress');
    assert.equal(server.requests(), before);
  });

  it('re-validates every redirect hop: a private address, a foreign host, too many hops', async () => {
    const d = new Downloader(base);
    const toPrivate = await failure(
      d,
      `${server.url}/redirect/x.pdf?to=${encodeURIComponent('http://internal.test/secret.pdf')}`,
    );
    assert.equal(toPrivate.type, 'PrivateAddress');
    assert.match(toPrivate.message, /10\.1\.2\.3/);
    const toForeign = await failure(
      d,
      `${server.url}/redirect/x.pdf?to=${encodeURIComponent('https://elsewhere.example/a.pdf')}`,
    );
    assert.equal(toForeign.type, 'UrlNotAllowed');
    let url = `${server.url}/files/final.pdf`;
    for (let i = 0; i < 5; i++) url = `${server.url}/redirect/r${i}.pdf?to=${encodeURIComponent(url)}`;
    assert.equal((await failure(d, url)).type, 'TooManyRedirects');
    const opened = await d.open(
      `${server.url}/redirect/x.pdf?to=${encodeURIComponent(`${server.url}/files/ok.pdf`)}`,
      new AbortController().signal,
    );
    assert.equal(opened.redirects, 1);
    opened.body.resume();
  });

  it('enforces the size limit from Content-Length', async () => {
    const d = new Downloader({ ...base, maxBytes: 1000 });
    assert.equal((await failure(d, `${server.url}/files/big.pdf?bytes=5000`)).type, 'TooLarge');
  });

  it('accepts the real MIME types of csv, json, xlsx, docx and esx, and rejects a mismatch', async () => {
    const d = new Downloader(base);
    for (const [mime, name] of [
      ['text~csv', 'a.csv'],
      ['application~json', 'a.json'],
      ['application~vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'a.xlsx'],
      ['application~vnd.openxmlformats-officedocument.wordprocessingml.document', 'a.docx'],
      ['application~zip', 'a.esx'],
    ]) {
      const opened = await d.open(`${server.url}/type/${mime}/${name}?bytes=10`, new AbortController().signal);
      await buffer(opened.body);
    }
    assert.equal((await failure(d, `${server.url}/type/text~html/a.pdf`)).type, 'ContentTypeNotAllowed');
  });
});

describe('address policy', () => {
  const strict = { allowLoopback: false };
  for (const ip of [
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '127.0.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    '100.64.0.1',
  ]) {
    it(`blocks ${ip}`, () => assert.ok(blockedReason(ip, strict)));
  }
  for (const ip of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '52.92.16.1']) {
    it(`allows public ${ip}`, () => assert.equal(blockedReason(ip, strict), undefined));
  }
  it('allows loopback only when asked, and never other private ranges', () => {
    assert.equal(blockedReason('127.0.0.1', { allowLoopback: true }), undefined);
    assert.ok(blockedReason('10.0.0.1', { allowLoopback: true }));
  });
});
