import assert from 'node:assert/strict';
import { attachmentUrls, dataString, decodeXactEvent } from '../../src/shared/xact-event';

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
});
