import { type ColumnDef, columnDef as col, type TableDef } from '@kafka-pipeline/delta-lake';

/**
 * The seven claimx entity tables the API enrichment fills (spec §3.2; events and attachments: event-tables.ts).
 * Entity rows carry the event they came from (`event_id`) and that event's ingestion time (`source_event_time`),
 * the merge order: the tables are upserted by key (mergeRows), each column holding the value of the latest event
 * that carried it, whatever order events arrive in (`column_versions` records, per column, the event time its value
 * came from).
 */

/** Columns every entity row ends with: its source event, the merge order and versions, and when it was written. */
const lineage = (...extra: ColumnDef[]): ColumnDef[] => [
  col('event_id', 'string', false),
  col('source_event_time', 'timestamp', false),
  col('column_versions'),
  ...extra,
  col('created_at', 'timestamp', false),
  col('updated_at', 'timestamp', false),
  col('last_enriched_at', 'timestamp', false),
];

export const CLAIMX_PROJECTS: TableDef = {
  name: 'claimx_projects',
  keyColumn: 'project_id',
  partitionColumns: [],
  columns: [
    col('project_id', 'string', false),
    ...[
      'project_number',
      'master_file_name',
      'secondary_number',
      'status',
      'created_date',
      'date_of_loss',
      'type_of_loss',
      'cause_of_loss',
      'loss_description',
      'customer_first_name',
      'customer_last_name',
      'street1',
      'city',
      'state_province',
      'zip_postcode',
      'primary_email',
      'primary_phone',
      'custom_attribute1',
      'custom_attribute2',
      'custom_attribute3',
      'coverages',
    ].map((name) => col(name)),
    col('contents_task_sent', 'boolean'),
    col('contents_task_at', 'timestamp'),
    col('xa_autolink_fail', 'boolean'),
    col('xa_autolink_fail_at', 'timestamp'),
    // Dropped by the original's writer (a listed gap): kept here.
    col('policyholder_invited_at', 'timestamp'),
    col('policyholder_joined_at', 'timestamp'),
    ...lineage(),
  ],
};

/** One contact per project, type and email: `contact_key` joins the three (the original's declared key). */
export const CLAIMX_CONTACTS: TableDef = {
  name: 'claimx_contacts',
  keyColumn: 'contact_key',
  partitionColumns: [],
  columns: [
    col('contact_key', 'string', false),
    col('project_id', 'string', false),
    col('contact_email', 'string', false),
    col('contact_type', 'string', false),
    col('first_name'),
    col('last_name'),
    col('phone_number'),
    col('phone_country_code', 'long'),
    col('is_primary_contact', 'boolean'),
    col('master_file_name'),
    col('task_assignment_id', 'integer'),
    col('video_collaboration_id'),
    col('created_date', 'date'),
    ...lineage(),
  ],
};

/** Media metadata (the original's claimx_attachments_metadata); strings as there. */
export const CLAIMX_MEDIA: TableDef = {
  name: 'claimx_attachments_metadata',
  keyColumn: 'media_id',
  partitionColumns: [],
  columns: [
    col('media_id', 'string', false),
    col('project_id', 'string', false),
    ...[
      'task_assignment_id',
      'file_type',
      'file_name',
      'media_description',
      'media_comment',
      'latitude',
      'longitude',
      'gps_source',
      'taken_date',
      'full_download_link',
      'expires_at',
    ].map((name) => col(name)),
    ...lineage(),
  ],
};

export const CLAIMX_TASKS: TableDef = {
  name: 'claimx_tasks',
  keyColumn: 'assignment_id',
  partitionColumns: [],
  columns: [
    col('assignment_id', 'long', false),
    col('task_id', 'long'),
    col('project_id'),
    col('assignee_id', 'long'),
    col('assignor_id', 'long'),
    col('date_assigned', 'timestamp'),
    col('date_completed', 'timestamp'),
    col('status'),
    col('stp_enabled', 'boolean'),
    col('mfn'),
    ...lineage(),
  ],
};

export const CLAIMX_TASK_TEMPLATES: TableDef = {
  name: 'claimx_task_templates',
  keyColumn: 'task_id',
  partitionColumns: [],
  columns: [
    col('task_id', 'long', false),
    col('comp_id', 'long'),
    col('name'),
    col('description'),
    col('form_id'),
    col('form_name'),
    ...[
      'enabled',
      'is_default',
      'is_manual_delivery',
      'is_external_link_delivery',
      'provide_portal_access',
      'notify_assigned_send_recipient',
      'notify_assigned_send_recipient_sms',
    ].map((name) => col(name, 'boolean')),
    col('notify_assigned_subject'),
    col('notify_task_completed', 'boolean'),
    col('notify_completed_subject'),
    col('allow_resubmit', 'boolean'),
    col('auto_generate_pdf', 'boolean'),
    col('modified_by'),
    col('modified_by_id', 'long'),
    col('modified_date', 'timestamp'),
    ...lineage(),
  ],
};

export const CLAIMX_EXTERNAL_LINKS: TableDef = {
  name: 'claimx_external_link',
  keyColumn: 'link_id',
  partitionColumns: [],
  columns: [
    col('link_id', 'long', false),
    col('assignment_id', 'long'),
    col('project_id'),
    col('link_code'),
    col('url'),
    col('notification_access_method'),
    col('country_id', 'long'),
    col('state_id', 'long'),
    col('created_date', 'timestamp'),
    col('accessed_count', 'long'),
    col('last_accessed', 'timestamp'),
    ...lineage(),
  ],
};

export const CLAIMX_VIDEO_COLLAB: TableDef = {
  name: 'claimx_video_collab',
  keyColumn: 'video_collaboration_id',
  partitionColumns: [],
  columns: [
    col('video_collaboration_id', 'long', false),
    col('claim_id', 'long'),
    ...['mfn', 'claim_number', 'policy_number', 'email_user_name'].map((name) => col(name)),
    ...['claim_rep_first_name', 'claim_rep_last_name', 'claim_rep_full_name'].map((name) => col(name)),
    ...['number_of_videos', 'number_of_photos', 'number_of_viewers', 'session_count'].map((n) => col(n, 'long')),
    col('total_time_seconds'),
    col('total_time'),
    col('created_date', 'timestamp'),
    col('live_call_first_session', 'timestamp'),
    col('live_call_last_session', 'timestamp'),
    col('company_id', 'long'),
    col('company_name'),
    col('guid'),
    ...lineage(),
  ],
};

/** How every entity table is merged (mergeRows options). */
export const ENTITY_MERGE = {
  orderColumn: 'source_event_time',
  versionsColumn: 'column_versions',
  keepColumns: ['created_at'],
  untrackedColumns: ['updated_at', 'last_enriched_at'],
} as const;

/** The entity tables an enrichment fills, by the name the rows are grouped under. */
export const CLAIMX_ENTITY_TABLES = {
  projects: CLAIMX_PROJECTS,
  contacts: CLAIMX_CONTACTS,
  media: CLAIMX_MEDIA,
  tasks: CLAIMX_TASKS,
  taskTemplates: CLAIMX_TASK_TEMPLATES,
  externalLinks: CLAIMX_EXTERNAL_LINKS,
  videoCollab: CLAIMX_VIDEO_COLLAB,
} as const;
export type ClaimxEntity = keyof typeof CLAIMX_ENTITY_TABLES;
