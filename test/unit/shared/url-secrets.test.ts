import assert from 'node:assert/strict';
import { xactAttachmentRow, xactEventRow } from '../../../src/activities/rows';
import { redactedInput } from '../../../src/cli/dlq/dlq-format';
import { sampleEvent } from '../../../src/domains/xact/sample';
import { redactJsonSecrets, redactSecrets, redactSecretsDeep, redactUrlSecrets } from '../../../src/shared/urls';
import { decodeXactEvent } from '../../../src/shared/xact-event';

const SECRET = 'c2lnbmF0dXJlLXZhbHVl';
const SIGNED = `https://files.example.com/claims/A1/estimate.pdf?sv=2024-01-01&se=2030-01-01&sig=${SECRET}&name=estimate`;
const S3 = `https://bucket.s3.amazonaws.com/doc.pdf?X-Amz-Credential=AKIA${SECRET}&X-Amz-Signature=${SECRET}`;

describe('signed URL parameters kept out of tables and output', () => {
  it('redacts signatures, credentials and tokens, keeps the path and the other parameters', () => {
    const clean = redactSecrets(SIGNED);
    assert.ok(!clean.includes(SECRET));
    assert.match(clean, /^https:\/\/files\.example\.com\/claims\/A1\/estimate\.pdf\?/);
    assert.match(clean, /sig=redacted/);
    assert.match(clean, /name=estimate/);
    assert.ok(!redactSecrets(S3).includes(SECRET));
    assert.ok(!redactSecrets(`https://user:${SECRET}@h.example/x`).includes(SECRET));
  });

  it('leaves a URL without secrets exactly as it was', () => {
    for (const url of ['https://h.example', 'https://h.example/a%20b?page=2&x=1', 'http://10.0.0.1:8080/f.pdf']) {
      assert.equal(redactSecrets(url), url);
    }
  });

  it('finds URLs in free text', () => {
    const text = `HTTP 403 from ${SIGNED} (retrying); see "${S3}"`;
    const clean = redactUrlSecrets(text);
    assert.ok(!clean.includes(SECRET), clean);
    assert.match(clean, /^HTTP 403 from https:\/\/files\.example\.com\/.* \(retrying\); see "https:\/\/bucket/);
  });

  it('redacts JSON text, also with escaped slashes, and keeps text without secrets byte for byte', () => {
    const json = JSON.stringify({ a: [SIGNED], b: { c: 1 } }).replace(/\//g, '\\/');
    assert.ok(json.includes(SECRET) && json.includes('\\/'));
    const clean = redactJsonSecrets(json);
    assert.ok(!clean.includes(SECRET));
    assert.deepEqual(JSON.parse(clean).b, { c: 1 });
    const plain = '{ "url": "https://h.example/x.pdf?page=2",\n  "n": 1.50 }';
    assert.equal(redactJsonSecrets(plain), plain);
    assert.ok(!redactJsonSecrets(`{not json ${SIGNED}`).includes(SECRET));
  });

  it('an event row holds no secret in any column (attachments, raw_json) while the event itself is untouched', () => {
    const e = sampleEvent(1, { sampleUrl: 'http://unused', attachments: 0 });
    const text = JSON.stringify({ ...e, data: { ...(e.data as object), attachments: [SIGNED, S3] } });
    const decoded = decodeXactEvent(text);
    assert.ok(decoded.ok);
    const row = xactEventRow(decoded.event, text, new Date());
    assert.ok(!JSON.stringify(row).includes(SECRET), 'no secret in the row');
    assert.match(String(row.attachments), /sig=redacted.*name=estimate/);
    assert.deepEqual(JSON.parse(String(row.raw_json)).traceId, e.traceId);
    assert.ok(text.includes(SECRET), 'the input (what a replay uses) keeps the real URL');
    const plan = { url: SIGNED, displayUrl: '', mediaId: 'm', blobPath: 'p', fileType: 'PDF', ext: 'pdf' };
    const result = { mediaId: 'm', blobPath: 'p', bytes: 1, contentType: null, downloadedAt: new Date().toISOString() };
    const inventory = xactAttachmentRow(decoded.event, plan, result, new Date());
    assert.equal(inventory.attachment_url, redactSecrets(SIGNED));
    assert.ok(!JSON.stringify(inventory).includes(SECRET));
  });

  it('dlq view shows inputs without secrets: an event run and an invalid message (its JSON text too)', () => {
    const run = { event: { data: { attachments: [SIGNED] } }, rawJson: JSON.stringify({ u: SIGNED }) };
    const invalid = { payload: JSON.stringify({ u: S3 }).replace(/\//g, '\\/'), payloadEncoding: 'utf8' };
    for (const input of [run, invalid]) {
      assert.ok(JSON.stringify(input).includes(SECRET));
      assert.ok(!JSON.stringify(redactedInput(input)).includes(SECRET));
    }
  });

  it('redacts beside JSON nested deeper than the stack allows one call per level (dlq view of such a message)', () => {
    const nested = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);
    // 3,000 levels: the walk used to recurse per level; 300,000: JSON.stringify cannot write it again either.
    for (const levels of [3_000, 300_000]) {
      const json = `{"a":"https://h.example/x?sig=${SECRET}","d":${nested(levels)}}`;
      const clean = redactJsonSecrets(json);
      assert.ok(!clean.includes(SECRET), `${levels} levels`);
      assert.match(clean, /sig=redacted/);
      assert.ok(clean.endsWith(`${nested(levels)}}`), 'the nested value is kept');
      const input = { reason: 'not an event', payload: json, payloadEncoding: 'utf8' };
      assert.ok(!JSON.stringify(redactedInput(input)).includes(SECRET), `dlq view, ${levels} levels`);
    }
    let deep: unknown = `https://h.example/x?sig=${SECRET}`;
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? { k: deep } : [deep];
    let found = redactSecretsDeep(deep);
    for (let i = 99_999; i >= 0; i--) found = (found as Record<string, unknown>)[i % 2 ? 'k' : 0];
    assert.equal(found, 'https://h.example/x?sig=redacted');
    const quiet = JSON.parse(nested(3_000)) as unknown;
    assert.equal(redactSecretsDeep(quiet), quiet, 'a value nothing changed comes back as it is');
  });
});
