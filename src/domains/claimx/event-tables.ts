import { columnDef as col, type TableDef } from '@kafka-pipeline/delta-lake';

/** The claimx events as they arrived (one row per event id), and the media files stored (one row per media id). */

export const CLAIMX_EVENTS: TableDef = {
  name: 'claimx_events',
  keyColumn: 'event_id',
  partitionColumns: ['event_date'],
  columns: [
    col('event_id', 'string', false),
    col('event_type', 'string', false),
    col('project_id', 'string', false),
    col('media_id'),
    col('task_assignment_id'),
    col('video_collaboration_id'),
    col('master_file_name'),
    col('ingested_at', 'timestamp', false),
    col('created_at', 'timestamp', false),
    col('event_date', 'date', false),
  ],
};

/** Files of the media downloaded to the lakehouse (the original's result table), one row per media id. */
export const CLAIMX_ATTACHMENTS: TableDef = {
  name: 'claimx_attachments',
  keyColumn: 'media_id',
  partitionColumns: [],
  columns: [
    col('media_id', 'string', false),
    col('project_id', 'string', false),
    col('file_name'),
    col('file_type'),
    col('blob_path', 'string', false),
    col('bytes', 'long'),
    col('source_event_id', 'string', false),
    col('created_at', 'timestamp', false),
    col('updated_at', 'timestamp', false),
  ],
};
