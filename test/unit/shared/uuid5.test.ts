import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  NAMESPACE_URL,
  NS_EVENT,
  NS_MEDIA,
  sha1,
  utf8,
  uuid5,
  xactEventId,
  xactMediaId,
} from '../../../src/shared/uuid5';

describe('UUID5 ids (original system test vectors)', () => {
  it('derives the namespaces from NAMESPACE_URL as the original system did', () => {
    assert.equal(uuid5(NAMESPACE_URL, 'http://nsmkdvPipe/event_id'), NS_EVENT);
    assert.equal(uuid5(NAMESPACE_URL, 'http://nsmkdvPipe/media_id'), NS_MEDIA);
    assert.equal(uuid5(NAMESPACE_URL, 'http://nsmkdvPipe/claimx/event_id'), 'ad538b38-8d01-53c0-9060-bda6719a4139');
  });

  it('gives the documented event_id and media_id', () => {
    const trace = '7f3c2a9e-1b4d-4c1e-9a55-2f0d8e6b1c42';
    assert.equal(xactEventId(trace), 'db532e6a-50f9-5e5c-b983-316d562ca6a0');
    assert.equal(
      xactMediaId(
        trace,
        'https://usw2-prod-xn-exportreceiver-publish.s3.us-west-2.amazonaws.com/A1234567/estimate.pdf',
      ),
      '74100706-fd97-5e88-ac84-4ba1dae0483e',
    );
  });

  it('hashes like Node crypto for empty, multi-block and non-ASCII input', () => {
    for (const s of ['', 'abc', 'x'.repeat(55), 'y'.repeat(64), 'z'.repeat(1000), 'Grüße 東京 🚀']) {
      assert.equal(Buffer.from(sha1(utf8(s))).toString('hex'), createHash('sha1').update(s, 'utf8').digest('hex'), s);
    }
  });
});
