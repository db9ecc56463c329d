import type { ClaimxEvent } from '../../shared/claimx-event';
import { redactSecrets } from '../../shared/urls';
import { bool, contactRow, type EntityRows, type Json, lineage, list, long, obj, str, time } from './values';

/** ClaimX API answers about tasks and video collaborations → entity rows (spec §1.2 handlers, §3.2 columns). Pure. */

/** CUSTOM_TASK_*: the assignment, its template, its external link and the link's recipient as a contact. */
export function taskRows(event: ClaimxEvent, answer: Json, now = new Date()): EntityRows {
  const assignmentId = long(answer.assignmentId) ?? long(event.taskAssignmentId);
  const projectId = str(answer.projectId) ?? event.projectId;
  const rows: EntityRows = { tasks: [], taskTemplates: [], externalLinks: [], contacts: [] };
  if (assignmentId !== null) {
    rows.tasks!.push({
      assignment_id: assignmentId,
      task_id: long(answer.taskId),
      project_id: projectId,
      assignee_id: long(answer.assigneeId),
      assignor_id: long(answer.assignorId),
      date_assigned: time(answer.dateAssigned),
      date_completed: time(answer.dateCompleted),
      status: str(answer.status),
      stp_enabled: bool(answer.stpEnabled),
      mfn: str(answer.mfn),
      ...lineage(event, now),
    });
  }
  const template = obj(answer.customTask);
  const taskId = long(template.taskId);
  if (taskId !== null) {
    rows.taskTemplates!.push({
      task_id: taskId,
      comp_id: long(template.compId),
      name: str(template.name),
      description: str(template.description),
      form_id: str(template.formId),
      form_name: str(template.formName),
      enabled: bool(template.enabled),
      is_default: bool(template.default),
      is_manual_delivery: bool(template.isManualDelivery),
      is_external_link_delivery: bool(template.isExternalLinkDelivery),
      provide_portal_access: bool(template.providePortalAccess),
      notify_assigned_send_recipient: bool(template.notifyAssignedSendRecipient),
      notify_assigned_send_recipient_sms: bool(template.notifyAssignedSendRecipientSms),
      notify_assigned_subject: str(template.notifyAssignedSubject),
      notify_task_completed: bool(template.notifyTaskCompleted),
      notify_completed_subject: str(template.notifyCompletedSubject),
      allow_resubmit: bool(template.allowReSubmit),
      auto_generate_pdf: bool(template.autoGeneratePdf),
      modified_by: str(template.modifiedBy),
      modified_by_id: long(template.modifiedById),
      modified_date: time(template.modifiedDate),
      ...lineage(event, now),
    });
  }
  const link = obj(answer.externalLinkData);
  const linkId = long(link.linkId);
  if (linkId !== null) {
    rows.externalLinks!.push({
      link_id: linkId,
      assignment_id: assignmentId,
      project_id: projectId,
      link_code: str(link.linkCode),
      url: str(link.url) === null ? null : redactSecrets(str(link.url)!),
      notification_access_method: str(link.notificationAccessMethod),
      country_id: long(link.countryId),
      state_id: long(link.stateId),
      ...lineage(event, now),
    });
  }
  const email = str(link.email);
  if (email) {
    rows.contacts!.push(
      contactRow(event, now, projectId, email, 'POLICYHOLDER', {
        first_name: str(link.firstName),
        last_name: str(link.lastName),
        phone_number: str(link.phone),
        phone_country_code: long(link.phoneCountryCode),
        task_assignment_id: assignmentId,
      }),
    );
  }
  return rows;
}

/** VIDEO_COLLABORATION_*: the project's collaboration from the report (the one whose claimId is the project). */
export function videoRows(event: ClaimxEvent, answer: unknown, now = new Date()): EntityRows {
  const o = obj(answer);
  const items = Array.isArray(answer)
    ? list(answer)
    : list(o.data ?? o.collaborations ?? (Object.keys(o).length > 0 ? [o] : []));
  const item = items.find((i) => str(i.claimId) === event.projectId) ?? items[0];
  const id = long(item?.videoCollaborationId ?? item?.id);
  if (!item || id === null) return { videoCollab: [] };
  const first = str(item.claimRepFirstName);
  const last = str(item.claimRepLastName);
  return {
    videoCollab: [
      {
        video_collaboration_id: id,
        claim_id: long(item.claimId),
        mfn: str(item.mfn),
        claim_number: str(item.claimNumber),
        policy_number: str(item.policyNumber),
        email_user_name: str(item.emailUserName),
        claim_rep_first_name: first,
        claim_rep_last_name: last,
        claim_rep_full_name: str(item.claimRepFullName) ?? ([first, last].filter(Boolean).join(' ') || null),
        number_of_videos: long(item.numberOfVideos),
        number_of_photos: long(item.numberOfPhotos),
        number_of_viewers: long(item.numberOfViewers),
        session_count: long(item.sessionCount),
        total_time_seconds: str(item.totalTimeSeconds),
        total_time: str(item.totalTime),
        created_date: time(item.createdDate),
        live_call_first_session: time(item.liveCallFirstSession),
        live_call_last_session: time(item.liveCallLastSession),
        company_id: long(item.companyId),
        company_name: str(item.companyName),
        guid: str(item.guid),
        ...lineage(event, now),
      },
    ],
  };
}
