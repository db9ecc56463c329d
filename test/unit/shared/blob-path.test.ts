import assert from 'node:assert/strict';
import { claimxBlobPath, disambiguate, generateBlobPath } from '../../../src/shared/blob-path';
import { fileNameOf, presignedExpiry, sanitizeUrl } from '../../../src/shared/urls';

const T = '7f3c2a9e-1b4d-4c1e-9a55-2f0d8e6b1c42';
const base = 'https://usw2-prod-xn-exportreceiver-publish.s3.us-west-2.amazonaws.com/A1234567';
const path = (statusSubtype: string, url: string, estimateVersion: string | null = null) =>
  generateBlobPath({ statusSubtype, traceId: T, assignmentId: 'A1234567', url, estimateVersion });

describe('blob paths (original generate_blob_path rules)', () => {
  it('follows the documented pattern of each subtype', () => {
    assert.equal(
      path('documentsReceived', `${base}/estimate.pdf?X-Amz-Signature=abc`).blobPath,
      `documentsReceived/A1234567/${T}/A1234567_estimate.pdf`,
    );
    assert.equal(
      path('firstNoticeOfLossReceived', `${base}/report.pdf`).blobPath,
      `firstNoticeOfLossReceived/A1234567/${T}/A1234567_FNOL_report.pdf`,
    );
    assert.equal(
      path('estimatePackageReceived', `${base}/est.esx`, '2').blobPath,
      `estimatePackageReceived/A1234567/${T}/A1234567_2_est.esx`,
    );
    assert.equal(
      path('estimatePackageReceived', `${base}/est.esx`).blobPath,
      `estimatePackageReceived/A1234567/${T}/A1234567_unknown_est.esx`,
    );
    assert.equal(path('estimateCreated', `${base}/v2.ESX`).blobPath, `estimateCreated/A1234567/${T}/A1234567_v2.esx`);
  });

  it('upper-cases the file type and says UNKNOWN when there is no extension', () => {
    assert.equal(path('documentsReceived', `${base}/photo.JPG`).fileType, 'JPG');
    const none = path('documentsReceived', `${base}/README`);
    assert.deepEqual([none.fileType, none.blobPath], ['UNKNOWN', `documentsReceived/A1234567/${T}/A1234567_README`]);
  });

  it('URL-decodes and sanitises the file name so it can never leave its folder', () => {
    assert.equal(
      path('documentsReceived', `${base}/Roof%20photo%20north.jpg`).blobPath,
      `documentsReceived/A1234567/${T}/A1234567_Roof photo north.jpg`,
    );
    for (const evil of ['..%2F..%2Fetc%2Fpasswd.txt', '%2E%2E.pdf', 'a%5Cb%3Ac.pdf', '%00x.pdf']) {
      const p = path('documentsReceived', `${base}/${evil}`).blobPath;
      assert.equal(p.split('/').length, 4, p);
      assert.ok(!p.split('/').includes('..'), p);
      assert.doesNotMatch(p.split('/')[3]!, /[\\:\0]/);
    }
    const long = path('documentsReceived', `${base}/${'x'.repeat(500)}.pdf`).blobPath.split('/')[3];
    assert.ok(long!.length < 200 && long!.endsWith('.pdf'));
    assert.equal(
      path('documentsReceived', `${base}/Cafe%CC%81.pdf`).blobPath.split('/')[3],
      'A1234567_Café.pdf'.normalize('NFC'),
    );
  });

  it('takes the name from the filename query parameter when the path has no extension', () => {
    assert.deepEqual(fileNameOf('https://h/x/get/6a1f?filename=roof_north.jpg&expires=1'), {
      name: 'roof_north',
      ext: 'jpg',
    });
  });

  it('makes two attachments of one event with the same name land on different paths', () => {
    const items = [
      { ...path('documentsReceived', `${base}/a/estimate.pdf`), mediaId: '11111111-aaaa-5aaa-8aaa-aaaaaaaaaaaa' },
      { ...path('documentsReceived', `${base}/b/estimate.pdf`), mediaId: '22222222-bbbb-5bbb-8bbb-bbbbbbbbbbbb' },
    ];
    const [a, b] = disambiguate(items);
    assert.equal(a!.blobPath, items[0]!.blobPath);
    assert.equal(b!.blobPath, `documentsReceived/A1234567/${T}/A1234567_estimate_22222222.pdf`);
  });
});

describe('URL helpers', () => {
  it('redacts signature and credential parameters but keeps the rest', () => {
    const shown = sanitizeUrl(
      `${base}/estimate.pdf?X-Amz-Algorithm=AWS4&X-Amz-Signature=abc123&X-Amz-Credential=AKIA&filename=e.pdf`,
    );
    assert.doesNotMatch(shown, /abc123|AKIA|AWS4/);
    assert.match(shown, /filename=e\.pdf/);
    assert.doesNotMatch(sanitizeUrl('https://user:pw@h.example/x.pdf?token=t0k'), /pw|t0k/);
  });

  it('computes presigned expiry for S3 and ClaimX styles', () => {
    const s3 = `${base}/e.pdf?X-Amz-Date=20251227T140511Z&X-Amz-Expires=604800`;
    assert.deepEqual(presignedExpiry(s3, new Date('2026-01-05T00:00:00Z')), {
      signedAt: '2025-12-27T14:05:11.000Z',
      expiresAt: '2026-01-03T14:05:11.000Z',
      expired: true,
    });
    assert.equal(
      presignedExpiry(
        s3.replace('X-Amz-Date', 'x-amz-date').replace('X-Amz-Expires', 'X-AMZ-EXPIRES'),
        new Date('2025-12-28T00:00:00Z'),
      )?.expired,
      false,
    );
    assert.equal(
      presignedExpiry(
        'https://www.claimxperience.com/f?systemDate=1735308311000&expires=3600000',
        new Date(1735308311000 + 3_599_999),
      )?.expired,
      false,
    );
    assert.equal(presignedExpiry(`${base}/e.pdf`, new Date()), undefined);
  });
});

describe('claimx blob paths (spec §2.7: {project_id}/media/{file})', () => {
  const link =
    'https://www.claimxperience.com/service/cxfileservice/get/6a1f?filename=roof_north.jpg&systemDate=1&expires=2';
  it('uses the API file name, else the link, else media_{id}; components sanitised', () => {
    assert.deepEqual(
      claimxBlobPath({ projectId: '4821937', mediaId: '99231877', fileName: 'roof_north.jpg', downloadUrl: link }),
      {
        blobPath: '4821937/media/roof_north.jpg',
        fileType: 'JPG',
        ext: 'jpg',
      },
    );
    assert.equal(
      claimxBlobPath({ projectId: '4821937', mediaId: '1', fileName: null, downloadUrl: link }).blobPath,
      '4821937/media/roof_north.jpg',
    );
    const bare = claimxBlobPath({
      projectId: '48',
      mediaId: '7',
      fileName: '  ',
      downloadUrl: 'https://h.example/get/7',
    });
    assert.deepEqual(bare, { blobPath: '48/media/media_7', fileType: 'UNKNOWN', ext: '' });
    assert.equal(
      claimxBlobPath({ projectId: '48', mediaId: '7', fileName: '../../etc/passwd', downloadUrl: link }).blobPath,
      '48/media/_.._etc_passwd', // no separator survives, no leading dot
    );
  });
});

describe('hostile names: every path segment fits the store, holds no invisible character, keeps an allowed type', () => {
  const MAX = 255; // bytes of one segment on ext4/xfs; ADLS counts 255 characters, which UTF-8 bytes never exceed
  const fits = (p: string) => p.split('/').every((s) => Buffer.byteLength(s, 'utf8') <= MAX);
  const wellFormed = (p: string) => Buffer.from(p, 'utf8').toString('utf8') === p; // no half character, no U+FFFD
  const emoji = (n: number, last = '\u{1F600}') => `${'\u{1F600}'.repeat(n - 1)}${last}`;

  it('a trace id of 100 emoji and a long multi-byte file name give segments of at most 255 bytes, cut whole', () => {
    const long = generateBlobPath({
      statusSubtype: 'documentsReceived',
      traceId: emoji(100),
      assignmentId: 'A1234567',
      url: `${base}/${encodeURIComponent('見積書'.repeat(60))}.pdf`,
    });
    assert.ok(fits(long.blobPath), long.blobPath);
    assert.ok(wellFormed(long.blobPath));
    assert.match(
      long.blobPath,
      /^documentsReceived\/A1234567\/\u{1F600}+~[0-9a-f]{8}\/A1234567_[見積書]+~[0-9a-f]{8}\.pdf$/u,
    );
    assert.equal(long.fileType, 'PDF');
    // Deterministic, and two ids that differ only past the cut still get different folders.
    const again = generateBlobPath({
      ...long,
      statusSubtype: 'documentsReceived',
      traceId: emoji(100),
      assignmentId: 'A1234567',
      url: `${base}/${encodeURIComponent('見積書'.repeat(60))}.pdf`,
    });
    assert.equal(again.blobPath, long.blobPath);
    const other = path('documentsReceived', `${base}/e.pdf`);
    const [a, b] = [emoji(100), emoji(100, '\u{1F601}')].map(
      (traceId) =>
        generateBlobPath({ statusSubtype: 'documentsReceived', traceId, assignmentId: 'A1', url: `${base}/e.pdf` })
          .blobPath,
    );
    assert.notEqual(a!.split('/')[2], b!.split('/')[2]);
    assert.ok(fits(other.blobPath));
  });

  it('a file "extension" longer than a segment (found by the long fuzz run) is cut too; the name stays within the bound', () => {
    const url = `${base}/a/%20.${'%252F'.repeat(200)}`; // decodes to an extension of 200 × "%2F"
    const p = path('documentsReceived', url).blobPath;
    assert.ok(fits(p), `${Buffer.byteLength(p.split('/')[3]!)} bytes: ${p.slice(0, 120)}…`);
    assert.equal(path('documentsReceived', url).blobPath, p, 'deterministic');
    const other = path('documentsReceived', `${base}/a/%20.${'%252F'.repeat(201)}`).blobPath;
    assert.notEqual(other, p, 'two long extensions that share their start stay apart');
  });

  it('two same-named long attachments of one event stay apart and within the bound', () => {
    const name = encodeURIComponent('é'.repeat(140));
    const items = ['a', 'b'].map((dir, i) => ({
      ...path('documentsReceived', `${base}/${dir}/${name}.pdf`),
      mediaId: `${i + 1}1111111-aaaa-5aaa-8aaa-aaaaaaaaaaaa`,
    }));
    const [x, y] = disambiguate(items);
    assert.notEqual(x!.blobPath, y!.blobPath);
    assert.ok(fits(x!.blobPath) && fits(y!.blobPath), y!.blobPath);
    assert.ok(wellFormed(y!.blobPath) && y!.blobPath.endsWith('.pdf'));
  });

  it('control, format and bidi characters (U+202E, zero-width, BOM, C1, lone surrogates) never reach a name', () => {
    const hostile = ['\u202E', '\u200B', '\u2066', '\uFEFF', '\u0085', '\u2028', '\uD800'];
    const p = generateBlobPath({
      statusSubtype: 'documentsReceived',
      traceId: `t${hostile.join('')}1`,
      assignmentId: `A${hostile.join('')}`,
      url: `${base}/invoice${encodeURIComponent('\u202E')}fdp.pdf`,
    }).blobPath;
    for (const ch of hostile) assert.ok(!p.includes(ch), `${JSON.stringify(ch)} in ${JSON.stringify(p)}`);
    assert.ok(wellFormed(p));
    const c = claimxBlobPath({
      projectId: '48',
      mediaId: '7',
      fileName: 'photo\u202Egpj.exe',
      fileType: 'jpg',
      downloadUrl: 'https://h.example/get/7',
    });
    assert.doesNotMatch(c.blobPath, /\u202E/);
    assert.equal(c.blobPath, '48/media/photo_gpj_exe.jpg');
  });

  it("claimx: a name's own extension is kept only when it is an allowed file type, else the declared type is used", () => {
    const at = (fileName: string, fileType: string | null) =>
      claimxBlobPath({ projectId: '48', mediaId: '7', fileName, fileType, downloadUrl: 'https://h.example/get/7' });
    assert.deepEqual(at('roof_north.JPG', 'jpg'), { blobPath: '48/media/roof_north.JPG', fileType: 'JPG', ext: 'jpg' });
    assert.deepEqual(at('setup.exe', 'jpg'), { blobPath: '48/media/setup_exe.jpg', fileType: 'JPG', ext: 'jpg' });
    assert.deepEqual(at('setup.exe', 'exe'), { blobPath: '48/media/setup_exe', fileType: 'UNKNOWN', ext: '' });
    assert.deepEqual(at('notes', 'pdf'), { blobPath: '48/media/notes', fileType: 'UNKNOWN', ext: '' }, 'unchanged');
    const long = at(`${'写真'.repeat(200)}.jpeg`, 'jpg').blobPath;
    assert.ok(fits(long) && wellFormed(long) && long.endsWith('.jpeg'), long);
  });
});
