import type { Row } from '@kafka-pipeline/delta-lake';
import type { AttachmentPlan, TransferResult } from '../shared/pipeline-types';
import { xactEventId } from '../shared/uuid5';
import { redactJsonSecrets, redactSecrets, redactUrlSecrets } from '../shared/urls';
import { attachmentUrls, dataString, type XactEvent } from '../shared/xact-event';

const day = (iso: string): string => iso.slice(0, 10);

/** The xact_events row of an event (original column set, spec §3.1). */
export function xactEventRow(event: XactEvent, rawJson: string, now: Date): Row {
  // Free text (a note, a description) may quote a signed URL: redacted like raw_json.
  const s = (path: string) => {
    const value = dataString(event, path);
    return value === null ? null : redactUrlSecrets(value);
  };
  return {
    type: event.type,
    status_subtype: event.statusSubtype,
    version: event.version === null ? null : String(event.version),
    ingested_at: event.utcDateTime,
    event_date: day(event.utcDateTime),
    trace_id: event.traceId,
    event_id: xactEventId(event.traceId),
    description: s('description'),
    assignment_id: s('assignmentId'),
    original_assignment_id: s('originalAssignmentId'),
    xn_address: s('xnAddress'),
    carrier_id: s('carrierId'),
    estimate_version: s('estimateVersion'),
    note: s('note'),
    author: s('author'),
    sender_reviewer_name: s('senderReviewerName'),
    sender_reviewer_email: s('senderReviewerEmail'),
    carrier_reviewer_name: s('carrierReviewerName'),
    carrier_reviewer_email: s('carrierReviewerEmail'),
    event_datetime_mdt: s('dateTime'),
    attachments: attachmentUrls(event).map(redactSecrets).join(',') || null,
    claim_number: s('adm.coverageLoss.claimNumber'),
    contact_type: s('contact.type'),
    contact_name: s('contact.name'),
    contact_phone_type: s('contact.contactMethods.phone.type'),
    contact_phone_number: s('contact.contactMethods.phone.number'),
    contact_phone_extension: s('contact.contactMethods.phone.extension'),
    contact_email_address: s('contact.contactMethods.email.address'),
    raw_json: redactJsonSecrets(rawJson), // signed URL parameters never reach the lakehouse
    created_at: now,
    created_date: now.toISOString().slice(0, 10),
  };
}

/** The xact_attachments inventory row of a transferred attachment. */
/** blob_path is relative to the xact files folder, as in the original system. */
export function xactAttachmentRow(event: XactEvent, plan: AttachmentPlan, result: TransferResult, now: Date): Row {
  return {
    media_id: plan.mediaId,
    trace_id: event.traceId,
    attachment_url: redactSecrets(plan.url),
    blob_path: plan.blobPath,
    file_type: plan.fileType,
    status_subtype: event.statusSubtype,
    assignment_id: dataString(event, 'assignmentId'),
    bytes_downloaded: result.bytes,
    downloaded_at: result.downloadedAt,
    created_at: now,
    event_date: day(event.utcDateTime),
  };
}
