import type { CellValue, Row } from '@kafka-pipeline/delta-lake';
import type { ClaimxEvent } from '../../shared/claimx-event';
import { presignedExpiry, redactSecrets } from '../../shared/urls';
import { bool, contactRow, type EntityRows, type Json, lineage, list, long, obj, str } from './values';

/** ClaimX API answers about projects and media → entity rows (spec §1.2 handlers, §3.2 columns). Pure. */

/** The project answer's inner object (`{data: {project, teamMembers, companyName}}`, or that inner object). */
function projectParts(answer: Json) {
  const inner = obj(answer.data ?? answer);
  const project = obj(inner.project);
  return { project, customer: obj(project.customerInformation), team: list(inner.teamMembers) };
}

function primaryEmail(customer: Json): string | null {
  const emails = list(customer.emails);
  return str((emails.find((e) => e.primary === true) ?? emails[0])?.emailAddress);
}

/** PROJECT_CREATED and the events that fetch the project: the project row and its contacts. */
export function projectRows(event: ClaimxEvent, answer: Json, now = new Date()): EntityRows {
  const { project, customer, team } = projectParts(answer);
  const address = obj(project.address);
  const phone = list(customer.phones)[0];
  const projectId = str(project.projectId) ?? event.projectId;
  const projects: Row[] = [
    {
      project_id: projectId,
      project_number: str(project.projectNumber),
      master_file_name: str(project.mfn),
      secondary_number: str(project.secondaryNumber),
      status: str(project.status),
      created_date: str(project.createdDate),
      date_of_loss: str(project.dateOfLoss),
      type_of_loss: str(project.typeOfLoss),
      cause_of_loss: str(project.causeOfLoss),
      loss_description: str(project.lossDescription),
      customer_first_name: str(customer.firstName),
      customer_last_name: str(customer.lastName),
      street1: str(address.street1),
      city: str(address.city),
      state_province: str(address.stateProvince),
      zip_postcode: str(address.zipPostcode),
      primary_email: primaryEmail(customer),
      primary_phone: str(phone?.phoneNumber),
      custom_attribute1: str(project.customAttribute1),
      custom_attribute2: str(project.customAttribute2),
      custom_attribute3: str(project.customAttribute3),
      ...lineage(event, now),
    },
  ];
  const contacts: Row[] = [];
  const email = primaryEmail(customer);
  if (email) {
    contacts.push(
      contactRow(event, now, projectId, email, 'POLICYHOLDER', {
        first_name: str(customer.firstName),
        last_name: str(customer.lastName),
        phone_number: str(phone?.phoneNumber),
        phone_country_code: long(phone?.phoneCountryCode),
        is_primary_contact: true,
      }),
    );
  }
  for (const member of team) {
    const user = str(member.userName);
    if (!user) continue;
    contacts.push(
      contactRow(event, now, projectId, user, 'CLAIM_REP', {
        is_primary_contact: bool(member.primaryContact) ?? false,
        master_file_name: str(member.mfn),
      }),
    );
  }
  return { projects, contacts };
}

/** Events that set project columns of their own (MFN added, XA linking failed, policyholder invited or joined). */
export function projectFlagRows(event: ClaimxEvent, now = new Date()): EntityRows {
  const fields: Record<string, CellValue> =
    event.eventType === 'PROJECT_AUTO_XA_LINKING_UNSUCCESSFUL'
      ? { xa_autolink_fail: true, xa_autolink_fail_at: event.ingestedAt }
      : event.eventType === 'POLICYHOLDER_INVITED'
        ? { policyholder_invited_at: event.ingestedAt }
        : event.eventType === 'POLICYHOLDER_JOINED'
          ? { policyholder_joined_at: event.ingestedAt }
          : { master_file_name: event.masterFileName };
  return { projects: [{ project_id: event.projectId, ...fields, ...lineage(event, now) }] };
}

/** The API's media item of the event's media id. */
const mediaItemOf = (event: ClaimxEvent, items: readonly Json[]) => items.find((m) => str(m.mediaID) === event.mediaId);

/** The download link of the event's media as the API gave it (the row keeps it redacted); null when absent. */
export function mediaDownloadLink(event: ClaimxEvent, items: readonly Json[]): string | null {
  return str(mediaItemOf(event, items)?.fullDownloadLink);
}

/** PROJECT_FILE_ADDED: the media row of the event's media id; null when the answer does not hold it. */
export function mediaRows(event: ClaimxEvent, items: readonly Json[], now = new Date()): EntityRows | null {
  const item = mediaItemOf(event, items);
  if (!item) return null;
  const link = str(item.fullDownloadLink);
  let expiresAt: string | null = null;
  try {
    expiresAt = link ? (presignedExpiry(link, now)?.expiresAt ?? null) : null;
  } catch {
    expiresAt = null; // not a URL: the download step says so
  }
  return {
    media: [
      {
        media_id: event.mediaId,
        project_id: event.projectId,
        task_assignment_id: str(item.taskAssignmentID),
        file_type: str(item.mediaType),
        file_name: str(item.mediaName),
        media_description: str(item.mediaDescription),
        media_comment: str(item.mediaComment),
        latitude: str(item.latitude),
        longitude: str(item.longitude),
        gps_source: str(item.gpsSource),
        taken_date: str(item.takenDate),
        // As every URL in the tables: signature and token parameters redacted (the download uses the API's link).
        full_download_link: link === null ? null : redactSecrets(link),
        expires_at: expiresAt,
        ...lineage(event, now),
      },
    ],
  };
}
