import { columnDef as col, type TableDef } from '@kafka-pipeline/delta-lake';

/** The xact Delta tables, with the original system's column sets (spec §3.1), partitioned by event_date. */
export const XACT_EVENTS: TableDef = {
  name: 'xact_events',
  keyColumn: 'event_id',
  partitionColumns: ['event_date'],
  columns: [
    col('type', 'string', false),
    col('status_subtype'),
    col('version'),
    col('ingested_at', 'timestamp', false),
    col('event_date', 'date', false),
    col('trace_id', 'string', false),
    col('event_id', 'string', false),
    col('description'),
    col('assignment_id'),
    col('original_assignment_id'),
    col('xn_address'),
    col('carrier_id'),
    col('estimate_version'),
    col('note'),
    col('author'),
    col('sender_reviewer_name'),
    col('sender_reviewer_email'),
    col('carrier_reviewer_name'),
    col('carrier_reviewer_email'),
    col('event_datetime_mdt'),
    col('attachments'),
    col('claim_number'),
    col('contact_type'),
    col('contact_name'),
    col('contact_phone_type'),
    col('contact_phone_number'),
    col('contact_phone_extension'),
    col('contact_email_address'),
    col('raw_json'),
    col('created_at', 'timestamp', false),
    col('created_date', 'date', false),
  ],
};

/**
 * Inventory of transferred attachments. event_date is the event's date (not the write date as in the old
 * system), so a replay months later lands in the same partition and the exactly-once key check stays local.
 */
export const XACT_ATTACHMENTS: TableDef = {
  name: 'xact_attachments',
  keyColumn: 'media_id',
  partitionColumns: ['event_date'],
  columns: [
    col('media_id', 'string', false),
    col('trace_id', 'string', false),
    col('attachment_url', 'string', false),
    col('blob_path', 'string', false),
    col('file_type'),
    col('status_subtype'),
    col('assignment_id'),
    col('bytes_downloaded', 'long'),
    col('downloaded_at', 'timestamp'),
    col('created_at', 'timestamp', false),
    col('event_date', 'date', false),
  ],
};
