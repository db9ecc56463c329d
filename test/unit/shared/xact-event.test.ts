import assert from 'node:assert/strict';
import { toStartRequest } from '../../../src/domains/xact/start';
import { loadConfig } from '../../../src/config/config';
import type { InvalidMessageInput } from '../../../src/shared/pipeline-types';
import {
  attachmentUrls,
  dataString,
  decodeXactEvent,
  jsonDeeperThan,
  MAX_JSON_DEPTH,
} from '../../../src/shared/xact-event';

const valid = {
  type: 'verisk.claims.property.xn.documentsReceived',
  version: '1',
  utcDateTime: '2025-12-27T14:05:11.123Z',
  traceId: '7f3c2a9e-1b4d-4c1e-9a55-2f0d8e6b1c42',
  data: {
    assignmentId: 'A1',
    attachments: ['https://h/a.pdf', '', 7, 'https://h/a.pdf', ' https://h/b.jpg '],
    contact: { name: 'Jane' },
  },
};

describe('decoding xact events', () => {
  it('accepts a valid event, coercing a numeric version and deriving the subtype', () => {
    const r = decodeXactEvent(JSON.stringify(valid));
    assert.ok(r.ok);
    assert.equal(r.event.statusSubtype, 'documentsReceived');
    assert.equal(r.event.version, 1);
    assert.equal(dataString(r.event, 'contact.name'), 'Jane');
    assert.deepEqual(attachmentUrls(r.event), ['https://h/a.pdf', 'https://h/b.jpg']);
  });

  it('accepts trace_id and data as a JSON string', () => {
    const { traceId, data, ...rest } = valid;
    const r = decodeXactEvent(JSON.stringify({ ...rest, trace_id: traceId, data: JSON.stringify(data) }));
    assert.ok(r.ok);
    assert.equal(r.event.traceId, traceId);
    assert.equal(r.event.data.assignmentId, 'A1');
  });

  const rejects: [string, string, RegExp][] = [
    ['not JSON', 'this is { not json', /^not JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['no traceId', JSON.stringify({ ...valid, traceId: undefined }), /missing traceId/],
    ['a blank traceId', JSON.stringify({ ...valid, traceId: '  ' }), /missing traceId/],
    ['no type', JSON.stringify({ ...valid, type: undefined }), /missing type/],
    ['a bad time', JSON.stringify({ ...valid, utcDateTime: 'yesterday' }), /utcDateTime "yesterday"/],
    ['data that is not an object', JSON.stringify({ ...valid, data: '[1]' }), /data must be a JSON object/],
    ['data that is broken JSON', JSON.stringify({ ...valid, data: '{' }), /data is a string but not valid JSON/],
  ];
  for (const [what, text, reason] of rejects) {
    it(`rejects ${what} with a reason`, () => {
      const r = decodeXactEvent(text);
      assert.ok(!r.ok);
      assert.match(r.reason, reason);
    });
  }

  /** `levels` arrays nested inside each other (as text: building it as an object would recurse). */
  const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

  it('measures nesting without recursion, brackets inside strings not counted', () => {
    assert.equal(jsonDeeperThan(nested(10), 10), false);
    assert.equal(jsonDeeperThan(nested(11), 10), true);
    assert.equal(jsonDeeperThan(`{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`, 2), false);
    assert.equal(jsonDeeperThan(nested(1_000_000), MAX_JSON_DEPTH), true);
  });

  it(`rejects data nested deeper than ${MAX_JSON_DEPTH} levels, as an object or as a JSON string`, () => {
    const event = (data: string) => JSON.stringify(valid).replace(/"data":\{.*\}\}$/, `"data":${data}}`);
    const fits = event(`{"deep":${nested(MAX_JSON_DEPTH - 3)}}`); // message, data, deep: 3 levels
    assert.equal(decodeXactEvent(fits).ok, true);
    for (const levels of [MAX_JSON_DEPTH, 4_000, 6_000, 100_000]) {
      const asObject = decodeXactEvent(event(`{"deep":${nested(levels)}}`));
      assert.ok(!asObject.ok);
      assert.match(asObject.reason, /the message nests arrays and objects deeper than 64 levels \(MAX_JSON_DEPTH\)/);
      const asString = decodeXactEvent(event(JSON.stringify(`{"deep":${nested(levels)}}`)));
      assert.ok(!asString.ok);
      assert.match(asString.reason, /^data nests arrays and objects deeper than 63 levels/);
    }
  });

  it('sends an event with more attachments than MAX_ATTACHMENTS_PER_EVENT to the DLQ, saying so', () => {
    const config = loadConfig({ MAX_ATTACHMENTS_PER_EVENT: '100' });
    const message = (urls: string[]) => ({
      key: null,
      value: Buffer.from(JSON.stringify({ ...valid, data: { ...valid.data, attachments: urls } })),
      offset: '5',
      timestamp: '0',
    });
    const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://h/${i}.pdf`);
    assert.equal(toStartRequest(config, 't', 0, message(urls(100))).kind, 'event');
    // Repeated URLs are one attachment (as the run sees them).
    assert.equal(toStartRequest(config, 't', 0, message([...urls(100), ...urls(100)])).kind, 'event');
    for (const n of [101, 5_000]) {
      const req = toStartRequest(config, 't', 0, message(urls(n)));
      assert.equal(req.kind, 'invalid');
      assert.equal(
        (req.args[0] as InvalidMessageInput).reason,
        `the event has ${n} attachments; at most 100 per event are taken (MAX_ATTACHMENTS_PER_EVENT)`,
      );
    }
    assert.equal(loadConfig({}).maxAttachmentsPerEvent, 100);
  });
});
