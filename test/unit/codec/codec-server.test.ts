import assert from 'node:assert/strict';
import crypto, { randomBytes } from 'node:crypto';
import http from 'node:http';
import { defaultPayloadConverter } from '@temporalio/common';
import { type CodecServer, startCodecServer } from '../../../src/codec/codec-server';
import { EncryptionCodec, isEncrypted } from '../../../src/codec/encryption-codec';
import { parsePayloadKeys } from '../../../src/config/payload-keys';
import { payloadFromJson, payloadToJson } from '../../../src/codec/payload-json';

const UI = 'http://127.0.0.1:8233';

describe('codec server (Temporal codec server protocol)', () => {
  const codec = new EncryptionCodec(parsePayloadKeys(`k1:${randomBytes(32).toString('base64')}`));
  let open: CodecServer;
  let guarded: CodecServer;
  before(async () => {
    open = await startCodecServer(codec, { host: '127.0.0.1', port: 0, corsOrigins: [UI], token: '' });
    guarded = await startCodecServer(codec, { host: '127.0.0.1', port: 0, corsOrigins: [], token: 'tok3n' });
  });
  after(async () => {
    await open?.close();
    await guarded?.close();
  });

  const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('encodes then decodes payloads as proto3 JSON (base64 metadata and data), also under a namespace segment', async () => {
    const input = [
      defaultPayloadConverter.toPayload({ url: 'https://x/doc?sig=abc' }),
      defaultPayloadConverter.toPayload(7),
    ];
    const enc = await post(open.url, '/encode', { payloads: input.map(payloadToJson) });
    assert.equal(enc.status, 200);
    const encoded = ((await enc.json()) as { payloads: unknown[] }).payloads.map((p, i) => payloadFromJson(p, `${i}`));
    assert.ok(encoded.every(isEncrypted));
    const dec = await post(open.url, '/default/decode', { payloads: encoded.map(payloadToJson) });
    assert.equal(dec.status, 200);
    const decoded = ((await dec.json()) as { payloads: unknown[] }).payloads.map((p, i) => payloadFromJson(p, `${i}`));
    assert.deepEqual(
      decoded.map((p) => defaultPayloadConverter.fromPayload(p)),
      [{ url: 'https://x/doc?sig=abc' }, 7],
    );
  });

  it('answers the Web UI preflight for its origin only', async () => {
    const pre = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-namespace' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), UI);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
    const other = await fetch(`${open.url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('refuses bad requests with a reason: unknown path, wrong method, not JSON, wrong shape, bad base64 type', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [post(open.url, '/nope', {}), 404, /POST \/encode or \/decode/],
      [fetch(`${open.url}/decode`), 405, /use POST/],
      [post(open.url, '/decode', '{not json'), 400, /not JSON/],
      [post(open.url, '/decode', { items: [] }), 400, /expected \{"payloads"/],
      [
        post(open.url, '/decode', { payloads: [{ metadata: { encoding: 5 } }] }),
        400,
        /payloads\[0\]\.metadata\.encoding/,
      ],
    ];
    for (const [res, status, message] of cases) {
      const r = await res;
      assert.equal(r.status, status);
      assert.match(((await r.json()) as { message: string }).message, message);
    }
  });

  it('with a token, answers only requests that carry it', async () => {
    const body = { payloads: [payloadToJson(defaultPayloadConverter.toPayload(1))] };
    assert.equal((await post(guarded.url, '/encode', body)).status, 401);
    assert.equal((await post(guarded.url, '/encode', body, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await post(guarded.url, '/encode', body, { authorization: 'Bearer tok3n' })).status, 200);
  });

  it('compares the token in constant time (crypto.timingSafeEqual over digests), whatever its length', async () => {
    const body = { payloads: [payloadToJson(defaultPayloadConverter.toPayload(1))] };
    const original = crypto.timingSafeEqual;
    let compared = 0;
    crypto.timingSafeEqual = (a, b) => {
      compared++;
      return original(a, b);
    };
    try {
      for (const auth of ['Bearer tok3', 'Bearer tok3n-and-more', 'Bearer tok3N', 'bearer tok3n ', ''])
        assert.equal((await post(guarded.url, '/encode', body, { authorization: auth })).status, 401, auth);
      assert.equal((await post(guarded.url, '/encode', body, { authorization: 'Bearer tok3n' })).status, 200);
    } finally {
      crypto.timingSafeEqual = original;
    }
    assert.ok(compared >= 5, `timingSafeEqual called ${compared} times`);
  });

  it('bound to loopback, answers only requests addressed to a loopback name (DNS rebinding)', async () => {
    const { port } = new URL(open.url);
    const ask = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/decode',
            method: 'POST',
            headers: { host, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ payloads: [] }));
      });
    for (const host of ['evil.example', `evil.example:${port}`, 'localhost.evil.example', '10.0.0.5', '[::2]:80'])
      assert.equal(await ask(host), 403, host);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost:9999', `LOCALHOST:${port}`, '127.0.0.1'])
      assert.equal(await ask(host), 200, host);
  });

  it('refuses to listen beyond loopback without a token, unless told it is meant (allowNoToken)', async () => {
    await assert.rejects(
      startCodecServer(codec, { host: '0.0.0.0', port: 0, corsOrigins: [], token: '' }),
      /CODEC_SERVER_TOKEN.*--insecure-no-token/,
    );
    const insecure = await startCodecServer(codec, {
      host: '0.0.0.0',
      port: 0,
      corsOrigins: [],
      token: '',
      allowNoToken: true,
    });
    await insecure.close();
    const withToken = await startCodecServer(codec, { host: '0.0.0.0', port: 0, corsOrigins: [], token: 't' });
    await withToken.close();
  });
});
