import assert from 'node:assert/strict';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import type { ObjectStore } from '../../../src/adapters/storage/object-store';
import { fitInput, inputBytes } from '../../../src/bridge/claim-check';
import type { StartRequestOf } from '../../../src/domains/start-request';
import { toStartRequest } from '../../../src/domains/xact/start';
import { toClaimxStartRequest } from '../../../src/domains/claimx/start';
import { loadConfig } from '../../../src/config/config';
import { decodeClaimxEvent } from '../../../src/shared/claimx-event';
import { decodeXactEvent } from '../../../src/shared/xact-event';
import { anyUnicode, fuzzParams, nestedText } from '../../support/fuzz';
import { claimxEventText, messageKey, messageValue, xactEventText } from '../../support/fuzz-events';

/**
 * Fuzz (issue 30 Deliver 2a): whatever a Kafka record holds, the bridge's pure decision — decode, build the start
 * request, fit it under BRIDGE_MAX_INPUT_BYTES — returns, and what it returns Temporal can take.
 * Reproduce a failure with the FUZZ_SEED and FUZZ_PATH it prints (see test/support/fuzz.ts).
 */
const config = loadConfig({});
const LIMIT = config.bridgeMaxInputBytes;

/** A store that keeps what the bridge writes in memory (claim checks and quarantined payloads). */
function memoryStore(): ObjectStore & { objects: Map<string, Buffer> } {
  const objects = new Map<string, Buffer>();
  return {
    objects,
    location: 'memory',
    get: (p) => Promise.resolve(objects.get(p)),
    put: (p, data) => {
      const b = Buffer.from(data as Uint8Array);
      objects.set(p, b);
      return Promise.resolve(b.length);
    },
    putIfAbsent: (p, data) => Promise.resolve(!objects.has(p) && !!objects.set(p, Buffer.from(data))),
    list: () => Promise.resolve([...objects.keys()]),
    delete: (p) => Promise.resolve(void objects.delete(p)),
  };
}

const kafkaMessage = (key: Buffer | null, value: Buffer, offset: number) => ({
  key,
  value,
  offset: String(offset),
  timestamp: '1700000000000',
  attributes: 0,
  headers: {},
});

const DOMAINS: [string, StartRequestOf][] = [
  ['xact', toStartRequest],
  ['claimx', toClaimxStartRequest],
];

describe('fuzz: decoding and start requests (any record → a start Temporal accepts)', function () {
  this.timeout(600_000);

  it('decoding any text returns a result (an event or a reason) and never throws', () => {
    const text = fc.oneof(
      anyUnicode(200),
      fc.json(),
      xactEventText.map((e) => e.text),
      claimxEventText,
      fc
        .integer({ min: 1, max: 50_000 })
        .map((d) => `{"traceId":"t","type":"a.b","utcDateTime":"2026-01-01T00:00:00Z","data":{"x":${nestedText(d)}}}`),
    );
    fc.assert(
      fc.property(text, (t) => {
        for (const r of [decodeXactEvent(t), decodeClaimxEvent(t, '2026-01-01T00:00:00.000Z')]) {
          assert.equal(typeof r.ok, 'boolean');
          if (!r.ok) assert.equal(typeof r.reason, 'string');
        }
      }),
      fuzzParams(300, 10_000),
    );
  });

  for (const [domain, toStart] of DOMAINS) {
    it(`${domain}: every record becomes one start request whose fitted input serialises within BRIDGE_MAX_INPUT_BYTES`, async () => {
      await fc.assert(
        fc.asyncProperty(messageKey, messageValue, fc.nat(5), fc.nat(), async (key, value, partition, offset) => {
          const message = kafkaMessage(key, value, offset);
          const req = toStart(config, 'fuzz.events', partition, message);
          assert.ok(req.kind === 'event' || req.kind === 'invalid');
          assert.equal(req.args.length, 1);
          const fitted = await fitInput(req, message, memoryStore(), LIMIT);
          const payload = defaultPayloadConverter.toPayload(fitted.args[0]);
          assert.ok(payload?.data, 'the input serialises');
          assert.ok(inputBytes(fitted) <= LIMIT, `input of ${inputBytes(fitted)} bytes > ${LIMIT} (${fitted.kind})`);
        }),
        fuzzParams(150, 3_000),
      );
    });
  }

  it('an accepted event keeps its meaning through fitting: same id, same trace, and a stored copy when it was cut', async () => {
    await fc.assert(
      fc.asyncProperty(xactEventText, fc.nat(), async (e, offset) => {
        const message = kafkaMessage(null, Buffer.from(e.text), offset);
        const req = toStartRequest(config, 'fuzz.events', 0, message);
        fc.pre(req.kind === 'event');
        const store = memoryStore();
        const fitted = await fitInput(req, message, store, LIMIT);
        assert.equal(fitted.workflowId, req.workflowId);
        assert.equal(fitted.traceId, req.traceId);
        if (fitted !== req) assert.deepEqual([...store.objects.values()], [message.value]);
      }),
      fuzzParams(150, 3_000),
    );
  });
});
