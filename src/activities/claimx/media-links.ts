import type { ClaimxApiClient } from '../../adapters/claimx/claimx-api';
import { presignedExpiry } from '../../shared/urls';
import type { ClaimxMediaFile } from '../../shared/pipeline-types';
import { ClaimxEnrichError } from './enrich';

/**
 * ClaimX media links expire (systemDate + expires in the link). A link that has expired, or will within a minute,
 * is refreshed through the API before the download; one refused as expired while downloading is refreshed by the
 * workflow (isExpiredLinkFailure, MAX_LINK_REFRESHES in src/shared/claimx-event.ts).
 */
export const LINK_REFRESH_MARGIN_MS = 60_000;

/** True when the link carries an expiry that is past or within the margin (no expiry in it: false). */
export function linkExpiresSoon(url: string, now: Date, marginMs = LINK_REFRESH_MARGIN_MS): boolean {
  let expiry;
  try {
    expiry = presignedExpiry(url, new Date(now.getTime() + marginMs));
  } catch {
    return false; // not a URL: the download says why
  }
  return expiry?.expired ?? false;
}

/** The file with a fresh link from the API (`GET /export/project/{id}/media?mediaIds={id}`). */
export async function refreshMediaLink(
  api: Pick<ClaimxApiClient, 'getProjectMedia'>,
  file: ClaimxMediaFile,
): Promise<ClaimxMediaFile> {
  const items = await api.getProjectMedia(file.projectId, [file.mediaId]);
  const item = items.find((m) => String(m.mediaID) === file.mediaId);
  const link = typeof item?.fullDownloadLink === 'string' ? item.fullDownloadLink.trim() : '';
  if (link === '') {
    throw new ClaimxEnrichError(`media ${file.mediaId} of project ${file.projectId}: the API gives no download link`);
  }
  return { ...file, downloadUrl: link };
}
