import assert from 'node:assert/strict';
import fc from 'fast-check';
import { claimxBlobPath, generateBlobPath } from '../../../src/shared/blob-path';
import { fuzzParams, hostileString } from '../../support/fuzz';

/**
 * Fuzz (issue 30 Deliver 2a, item 7): a blob path made from any event's fields is a path every file system and
 * object store takes: each segment at most 255 bytes, no control or bidi characters, never '.' or '..', and the
 * same fields always give the same path.
 * Reproduce a failure with the FUZZ_SEED and FUZZ_PATH it prints (see test/support/fuzz.ts).
 */
const MAX_SEGMENT_BYTES = 255;
// eslint-disable-next-line no-control-regex -- control characters are what the property looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Bidi controls (a name that displays differently from what it is: `exe.pdf` shown for `fdp.exe`). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function assertSafePath(path: string, segments: number): void {
  const parts = path.split('/');
  assert.equal(parts.length, segments, `${segments} segments in ${JSON.stringify(path)}`);
  for (const part of parts) {
    assert.ok(part !== '' && part !== '.' && part !== '..', `segment ${JSON.stringify(part)}`);
    const bytes = Buffer.byteLength(part);
    assert.ok(bytes <= MAX_SEGMENT_BYTES, `segment of ${bytes} bytes: ${JSON.stringify(part.slice(0, 80))}…`);
    assert.ok(!CONTROL.test(part), `control character in ${JSON.stringify(part)}`);
    assert.ok(!BIDI.test(part), `bidi control in ${JSON.stringify(part)}`);
    assert.equal(part, part.normalize('NFC'), 'NFC');
    assert.ok(!/[\ud800-\udfff]/.test(part.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), 'no lone surrogate');
  }
}

/** A file name: hostile, long, multi-byte, with odd or no extensions. */
const fileName = fc
  .tuple(
    fc.oneof(
      hostileString(60),
      fc.nat(300).map((n) => '\u{1F600}'.repeat(n + 1)),
      fc.nat(300).map((n) => '\u00e9'.repeat(n + 1)),
    ),
    fc.constantFrom('.pdf', '.PDF', '.exe', '.pdf.exe', '', '.', '.\u202Efdp.exe', '.j\u0000pg'),
  )
  .map(([name, ext]) => name + ext);

/** An attachment URL whose last segment carries `name` (percent-encoded as a producer would send it). */
const attachmentUrl = fc
  .tuple(fileName, fc.boolean(), fc.constantFrom('', '?X-Amz-Signature=abc', '?filename=report.pdf'))
  .map(([name, asQuery, query]) => {
    const enc = encodeURIComponent(name.replace(/[\ud800-\udfff]/g, '?'));
    return asQuery ? `https://h.example/get?file=${enc}.pdf` : `https://h.example/a/${enc}${query}`;
  });

const subtype = fc.oneof(
  fc.constantFrom('documentsReceived', 'firstNoticeOfLossReceived', 'estimatePackageReceived'),
  hostileString(40),
);
const longText = fc.oneof(
  hostileString(60),
  fc.nat(400).map((n) => '\u{1F600}'.repeat(n + 1)),
);

describe('fuzz: blob paths (bounded, printable, deterministic)', function () {
  this.timeout(300_000);

  it('an xact attachment path has four safe segments, whatever the event says', () => {
    fc.assert(
      fc.property(subtype, longText, longText, attachmentUrl, fc.option(longText), (s, trace, assignment, url, ev) => {
        const input = { statusSubtype: s, traceId: trace, assignmentId: assignment, url, estimateVersion: ev };
        const path = generateBlobPath(input);
        assertSafePath(path.blobPath, 4);
        assert.deepEqual(generateBlobPath({ ...input }), path, 'deterministic');
      }),
      fuzzParams(500, 20_000),
    );
  });

  it('a claimx media path has three safe segments, whatever the API names the file', () => {
    fc.assert(
      fc.property(longText, longText, fc.option(fileName), attachmentUrl, (project, media, name, url) => {
        const file = { projectId: project, mediaId: media, fileName: name, downloadUrl: url };
        const path = claimxBlobPath(file);
        assertSafePath(path.blobPath, 3);
        assert.deepEqual(claimxBlobPath({ ...file }), path, 'deterministic');
      }),
      fuzzParams(500, 20_000),
    );
  });
});
