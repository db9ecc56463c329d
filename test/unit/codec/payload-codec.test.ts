import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, DefaultFailureConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../../src/config/config';
import { EncryptionCodec, isEncrypted } from '../../../src/codec/encryption-codec';
import { decodeHistory } from '../../../src/codec/history';
import { parsePayloadKeys } from '../../../src/config/payload-keys';
import { payloadCodec, temporalDataConverter } from '../../../src/codec/data-converter';
import { failureConverter } from '../../../src/codec/failure-converter';

const keyB64 = (): string => randomBytes(32).toString('base64');
const SIGNED = 'https://files.example.com/claims/doc.pdf?sig=S3cr3tSignature&se=2030-01-01';

describe('payload encryption keys (TEMPORAL_PAYLOAD_KEYS)', () => {
  it('reads id:base64 pairs, first one current', () => {
    const [a, b] = [keyB64(), keyB64()];
    const keys = parsePayloadKeys(` k2:${a} , k1:${b}`);
    assert.deepEqual(
      keys.map((k) => k.id),
      ['k2', 'k1'],
    );
    assert.equal(keys[0]!.key.toString('base64'), a);
  });

  it('refuses malformed lists without echoing key material', () => {
    const short = randomBytes(16).toString('base64');
    const cases: [string, RegExp][] = [
      ['', /no key/],
      [`:${keyB64()}`, /key 1: expected id:base64key/],
      [`k1:${short}`, /key k1: must be 32 bytes .* got 16/],
      [`k1:${keyB64()},k1:${keyB64()}`, /id k1 is listed twice/],
      ['k1:not base64!!', /key k1: must be 32 bytes/],
    ];
    for (const [spec, message] of cases) {
      assert.throws(
        () => parsePayloadKeys(spec),
        (err: Error) => {
          assert.match(err.message, message);
          assert.ok(!err.message.includes(short), err.message);
          return true;
        },
      );
    }
  });

  it('config: encryption without keys, or bad keys, is a problem that never prints the secret', () => {
    assert.throws(() => loadConfig({ TEMPORAL_PAYLOAD_ENCRYPTION: 'true' }), /TEMPORAL_PAYLOAD_KEYS: must be set/);
    const bad = randomBytes(20).toString('base64');
    assert.throws(
      () => loadConfig({ TEMPORAL_PAYLOAD_KEYS: `k1:${bad}` }),
      (err: Error) => /TEMPORAL_PAYLOAD_KEYS: key k1: must be 32 bytes/.test(err.message) && !err.message.includes(bad),
    );
    const config = loadConfig({ TEMPORAL_PAYLOAD_KEYS: `k1:${keyB64()}` });
    assert.equal(payloadCodec(config)?.encrypt, false, 'keys without TEMPORAL_PAYLOAD_ENCRYPTION only decrypt');
    assert.equal(temporalDataConverter(config)?.failureConverterPath, undefined);
    assert.equal(temporalDataConverter(loadConfig({})), undefined, 'no keys: the SDK default converter');
    const on = temporalDataConverter(
      loadConfig({ TEMPORAL_PAYLOAD_ENCRYPTION: 'true', TEMPORAL_PAYLOAD_KEYS: `k1:${keyB64()}` }),
    );
    assert.match(on?.failureConverterPath ?? '', /failure-converter/);
  });
});

describe('EncryptionCodec', () => {
  const payload = (v: unknown): Payload => defaultPayloadConverter.toPayload(v);
  const text = (p: Payload): string =>
    Buffer.from(temporal.api.common.v1.Payload.encode(p).finish()).toString('latin1');

  it('encrypts metadata and data, and decrypts them back', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`k1:${keyB64()}`));
    const [sealed] = await codec.encode([payload({ url: SIGNED })]);
    assert.ok(isEncrypted(sealed));
    assert.ok(!text(sealed!).includes('S3cr3tSignature') && !text(sealed!).includes('json/plain'));
    const [opened] = await codec.decode([sealed!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), { url: SIGNED });
    const [again] = await codec.encode([payload({ url: SIGNED })]);
    assert.notDeepEqual(again!.data, sealed!.data, 'a fresh IV per payload');
  });

  it('rotation: payloads of the old key still decrypt once a new key is first; an unlisted key id is named', async () => {
    const [oldKey, newKey] = [keyB64(), keyB64()];
    const before = new EncryptionCodec(parsePayloadKeys(`old:${oldKey}`));
    const after = new EncryptionCodec(parsePayloadKeys(`new:${newKey},old:${oldKey}`));
    const [sealedOld] = await before.encode([payload('claim')]);
    const [sealedNew] = await after.encode([payload('claim')]);
    assert.equal(after.keyId, 'new');
    assert.equal(Buffer.from(sealedNew!.metadata!['encryption-key-id']!).toString(), 'new');
    const decoded = await after.decode([sealedOld!, sealedNew!]);
    assert.deepEqual(
      decoded.map((p) => defaultPayloadConverter.fromPayload(p)),
      ['claim', 'claim'],
    );
    await assert.rejects(before.decode([sealedNew!]), /key id "new", which TEMPORAL_PAYLOAD_KEYS does not list/);
  });

  it('refuses altered ciphertext and a key id swapped in the metadata', async () => {
    const [a, b] = [keyB64(), keyB64()];
    const codec = new EncryptionCodec(parsePayloadKeys(`a:${a},b:${b}`));
    const [sealed] = await codec.encode([payload('x')]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await assert.rejects(codec.decode([{ ...sealed!, data: flipped }]), /does not authenticate under key id "a"/);
    const swapped = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('b') } };
    await assert.rejects(codec.decode([swapped]), /does not authenticate under key id "b"/);
  });

  it('decode-only (encryption off) sends payloads in the clear and still reads encrypted ones', async () => {
    const k = keyB64();
    const sealer = new EncryptionCodec(parsePayloadKeys(`k:${k}`));
    const reader = new EncryptionCodec(parsePayloadKeys(`k:${k}`), false);
    const plain = payload('clear');
    assert.deepEqual(await reader.encode([plain]), [plain]);
    const [sealed] = await sealer.encode([payload('secret')]);
    assert.equal(defaultPayloadConverter.fromPayload((await reader.decode([sealed!]))[0]!), 'secret');
  });
});

describe('decodeHistory', () => {
  it('decrypts every payload of a raw history and restores encoded failure messages', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`k1:${keyB64()}`));
    const seal = async (v: unknown) => (await codec.encode([defaultPayloadConverter.toPayload(v)]))[0]!;
    const failure = failureConverter.errorToFailure(new Error(`GET ${SIGNED}: 404`), defaultPayloadConverter);
    assert.equal(failure.message, 'Encoded failure');
    failure.encodedAttributes = await seal(defaultPayloadConverter.fromPayload(failure.encodedAttributes!));
    const searchAttribute = defaultPayloadConverter.toPayload('Keyword');
    const history: temporal.api.history.v1.IHistory = {
      events: [
        {
          workflowExecutionStartedEventAttributes: {
            input: { payloads: [await seal({ url: SIGNED })] },
            memo: { fields: { replayCount: await seal(2) } },
            searchAttributes: { indexedFields: { Stage: searchAttribute } },
          },
        },
        { activityTaskFailedEventAttributes: { failure: { message: 'outer', cause: failure } } },
      ],
    };
    const raw = JSON.stringify(history);
    assert.ok(!raw.includes('S3cr3t'));
    await decodeHistory(history, [codec]);
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    assert.deepEqual(defaultPayloadConverter.fromPayload(started.input!.payloads![0]!), { url: SIGNED });
    assert.equal(defaultPayloadConverter.fromPayload(started.memo!.fields!.replayCount!), 2);
    assert.equal(started.searchAttributes!.indexedFields!.Stage, searchAttribute, 'search attributes untouched');
    const cause = history.events![1]!.activityTaskFailedEventAttributes!.failure!.cause!;
    assert.equal(cause.message, `GET ${SIGNED}: 404`);
    assert.equal(history.events![1]!.activityTaskFailedEventAttributes!.failure!.message, 'outer');
  });

  it('a failure encoded without encryption (json payload) is restored too', async () => {
    const failure = new DefaultFailureConverter({ encodeCommonAttributes: true }).errorToFailure(
      new Error('plain reason'),
      defaultPayloadConverter,
    );
    const history = { events: [{ workflowExecutionFailedEventAttributes: { failure } }] };
    await decodeHistory(history, []);
    assert.equal(history.events[0]!.workflowExecutionFailedEventAttributes.failure.message, 'plain reason');
  });
});
