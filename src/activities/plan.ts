import { DownloadError } from '../adapters/http/download-error';
import { checkUrl, type UrlPolicy } from '../adapters/http/url-policy';
import { disambiguate, generateBlobPath } from '../shared/blob-path';
import type { AttachmentPlan } from '../shared/pipeline-types';
import { sanitizeUrl } from '../shared/urls';
import { xactMediaId } from '../shared/uuid5';
import { attachmentUrls, dataString, type XactEvent } from '../shared/xact-event';

/** Ids, destinations and static checks (allowlist, file type, expiry) of every attachment of an event. */
export function planAttachments(event: XactEvent, policy: UrlPolicy, at: Date): AttachmentPlan[] {
  const assignmentId = dataString(event, 'assignmentId');
  const plans = attachmentUrls(event).map((url) => {
    const mediaId = xactMediaId(event.traceId, url);
    let problem: AttachmentPlan['problem'];
    let path = { blobPath: '', fileType: 'UNKNOWN', ext: '' };
    try {
      path = generateBlobPath({
        statusSubtype: event.statusSubtype,
        traceId: event.traceId,
        assignmentId: assignmentId ?? '',
        url,
        estimateVersion: dataString(event, 'estimateVersion'),
      });
      checkUrl(url, policy, at);
      if (!assignmentId)
        problem = { type: 'InvalidEventContent', message: 'the event has attachments but no data.assignmentId' };
    } catch (err) {
      const type = err instanceof DownloadError ? err.type : 'UrlNotAllowed';
      problem = { type, message: err instanceof Error ? err.message : String(err) };
    }
    return { url, displayUrl: sanitizeUrl(url), mediaId, ...path, ...(problem ? { problem } : {}) };
  });
  return disambiguate(plans);
}
