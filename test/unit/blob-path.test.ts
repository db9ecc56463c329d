import assert from 'node:assert/strict';
import { claimxBlobPath, disambiguate, generateBlobPath } from '../../src/shared/blob-path';
import { fileNameOf, presignedExpiry, sanitizeUrl } from '../../src/shared/urls';

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
      assert.doesNotMatch(p.split('/')[3], /[\\:\0]/);
    }
    const long = path('documentsReceived', `${base}/${'x'.repeat(500)}.pdf`).blobPath.split('/')[3];
    assert.ok(long.length < 200 && long.endsWith('.pdf'));
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
    assert.equal(a.blobPath, items[0].blobPath);
    assert.equal(b.blobPath, `documentsReceived/A1234567/${T}/A1234567_estimate_22222222.pdf`);
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
