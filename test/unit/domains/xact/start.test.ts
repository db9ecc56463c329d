import assert from 'node:assert/strict';
import { safely } from '../../../../src/domains/start-request';
import { toStartRequest } from '../../../../src/domains/xact/start';
import { loadConfig } from '../../../../src/config/config';
import { clipForJson } from '../../../../src/shared/bounded';
import { xactWorkflowId } from '../../../../src/shared/ids';
import type { IngestXactInput, InvalidMessageInput } from '../../../../src/shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../../../../src/shared/search-attributes';

const config = loadConfig({});
const jsonBytes = (v: string) => Buffer.byteLength(JSON.stringify(v));

function start(traceId: string, type = 'verisk.claims.property.xn.documentsReceived') {
  const value = JSON.stringify({ type, utcDateTime: '2026-01-02T03:04:05Z', traceId, data: {} });
  return toStartRequest(config, 'xact.events.raw', 0, {
    key: null,
    value: Buffer.from(value),
    offset: '1',
    timestamp: '0',
  });
}

describe('xact start requests stay within what Temporal accepts, whatever the trace id', () => {
  it('a long, multi-byte or control-character trace id: bounded id, search values and summary; the input keeps it whole', () => {
    for (const traceId of ['😀'.repeat(300), '\u0001'.repeat(5_000), 'x\ud800y'.repeat(400), 't'.repeat(100_000)]) {
      const req = start(traceId, `a.${'b'.repeat(3_000)}`);
      assert.equal(req.kind, 'event');
      assert.equal(req.workflowId, xactWorkflowId(traceId));
      assert.equal((req.args[0] as IngestXactInput).event.traceId, traceId);
      const searchTrace = req.searchAttributes.get(SEARCH_ATTRIBUTES.traceId)!;
      assert.ok(jsonBytes(searchTrace) <= 1000, `TraceId of ${jsonBytes(searchTrace)} bytes`);
      assert.ok(traceId.startsWith(searchTrace) && searchTrace.length > 0);
      assert.ok(jsonBytes(req.searchAttributes.get(SEARCH_ATTRIBUTES.eventType)!) <= 1000);
      assert.ok(jsonBytes(req.summary) <= 400);
    }
    // Ordinary values are untouched.
    const usual = start('7f3c2a9e-1b4d-4c1e-9a55-2f0d8e6b1c42');
    assert.equal(usual.searchAttributes.get(SEARCH_ATTRIBUTES.traceId), '7f3c2a9e-1b4d-4c1e-9a55-2f0d8e6b1c42');
  });

  it('clipForJson keeps whole characters and counts escapes', () => {
    assert.equal(clipForJson('abc', 5), 'abc');
    assert.equal(clipForJson('abcd', 5), 'abc');
    assert.equal(clipForJson('😀😀', 9), '😀', 'a surrogate pair is not split');
    assert.equal(clipForJson('"""', 6), '""');
    for (const s of ['\u0001'.repeat(50), 'é'.repeat(50), 'x\udc00'.repeat(20), 'a"\\b'.repeat(20)])
      for (const max of [2, 7, 33, 100])
        assert.ok(jsonBytes(clipForJson(s, max)) <= max, `${JSON.stringify(s)} ${max}`);
  });

  it('a start that cannot be built (any exception) is a DLQ entry of its domain, not a retry loop', () => {
    const build = safely('claimx', () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const req = build(config, 'claimx.events.raw', 3, {
      key: null,
      value: Buffer.from('{}'),
      offset: '8',
      timestamp: '0',
    });
    assert.equal(req.kind, 'invalid');
    assert.equal(req.domain, 'claimx');
    assert.equal(req.workflowId, 'claimx-invalid-claimx.events.raw-3-8');
    assert.equal(
      (req.args[0] as InvalidMessageInput).reason,
      'the start could not be built: RangeError: Maximum call stack size exceeded',
    );
  });
});
