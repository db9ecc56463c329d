import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { type CodecServer, startCodecServer } from '../../src/codec/codec-server';
import { EncryptionCodec, isEncrypted } from '../../src/codec/encryption-codec';
import { parsePayloadKeys } from '../../src/codec/keys';
import { payloadFromJson, payloadToJson } from '../../src/codec/payload-json';

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
});
