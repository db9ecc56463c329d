import assert from 'node:assert/strict';
import { ClaimxApiClient } from '../../../../src/adapters/claimx/claimx-api';
import { ClaimxEnrichError } from '../../../../src/activities/claimx/enrich';
import { linkExpiresSoon, refreshMediaLink } from '../../../../src/activities/claimx/media-links';
import { isExpiredLinkFailure } from '../../../../src/shared/claimx-event';
import { startClaimxApiStandin } from '../../../../dev/claimx-api-standin';

describe('claimx media links: expiry and refresh', () => {
  const link = (issuedMs: number, ttlMs: number) =>
    `https://www.claimxperience.com/service/cxfileservice/get/1?filename=a.jpg&systemDate=${issuedMs}&expires=${ttlMs}`;
  const now = new Date('2026-12-04T08:00:00Z');

  it('a link past its expiry, or within a minute of it, needs a refresh; one without expiry does not', () => {
    assert.equal(linkExpiresSoon(link(now.getTime() - 7_200_000, 3_600_000), now), true);
    assert.equal(linkExpiresSoon(link(now.getTime() - 3_570_000, 3_600_000), now), true, '30 s left');
    assert.equal(linkExpiresSoon(link(now.getTime(), 3_600_000), now), false);
    assert.equal(linkExpiresSoon('https://h.example/file.jpg', now), false);
    assert.equal(linkExpiresSoon('not a url', now), false);
  });

  it('a 403 or an "expired" answer is an expired link; a 404 is not', () => {
    assert.equal(isExpiredLinkFailure({ httpStatus: 403, message: 'HTTP 403' }), true);
    assert.equal(isExpiredLinkFailure({ httpStatus: null, message: 'Request has expired' }), true);
    assert.equal(isExpiredLinkFailure({ httpStatus: 404, message: 'HTTP 404 from https://h/x' }), false);
  });

  it('refreshes through the API (stand-in): the new link downloads where the old one was refused', async () => {
    const api = await startClaimxApiStandin({ token: 't' });
    try {
      const client = new ClaimxApiClient({
        baseUrl: api.url,
        token: 't',
        timeoutMs: 2000,
        maxConcurrent: 2,
        senderUsername: 's',
      });
      api.expiredLinks(true);
      const [item] = await client.getProjectMedia('12', ['5']);
      const file = {
        mediaId: '5',
        projectId: '12',
        fileName: 'photo_5.jpg',
        fileType: 'jpg',
        downloadUrl: String(item!.fullDownloadLink),
      };
      assert.equal((await fetch(file.downloadUrl)).status, 403);
      assert.equal(linkExpiresSoon(file.downloadUrl, new Date()), true);
      api.expiredLinks(false);
      const fresh = await refreshMediaLink(client, file);
      assert.notEqual(fresh.downloadUrl, file.downloadUrl);
      assert.equal((await fetch(fresh.downloadUrl)).status, 200);
      await assert.rejects(refreshMediaLink({ getProjectMedia: () => Promise.resolve([]) }, file), ClaimxEnrichError);
    } finally {
      await api.close();
    }
  });
});
