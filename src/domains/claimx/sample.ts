import { CLAIMX_EVENT_TYPES } from '../../shared/claimx-event';

/**
 * Sample claimx webhook events, one of each enriched type in turn (and now and then one the pipeline does not
 * enrich), for projects the ClaimX API stand-in answers for. Alternates snake_case and camelCase, as producers do.
 */
export function sampleClaimxEvent(i: number, opts: { projectBase?: number; now?: Date } = {}): Record<string, unknown> {
  const types = [...CLAIMX_EVENT_TYPES, 'PROJECT_NOTE_ADDED'];
  const type = types[i % types.length]!;
  const project = (opts.projectBase ?? 4_800_000) + Math.floor(i / types.length);
  const at = new Date((opts.now ?? new Date()).getTime() + i).toISOString();
  const ids: Record<string, string> = {};
  if (type === 'PROJECT_FILE_ADDED') ids.media_id = `${project}${i % 10}`;
  if (type.startsWith('CUSTOM_TASK')) ids.task_assignment_id = String(50_000 + i);
  if (type === 'PROJECT_MFN_ADDED') ids.master_file_name = `MFN-${project}-${i}`;
  if (i % 2 === 1) {
    const camel: Record<string, unknown> = { eventType: type, projectId: project, IngestionTime: at };
    if (ids.media_id) camel.mediaId = ids.media_id;
    if (ids.task_assignment_id) camel.taskAssignmentId = ids.task_assignment_id;
    if (ids.master_file_name) camel.masterFileName = ids.master_file_name;
    return camel;
  }
  return { event_type: type, project_id: String(project), ingested_at: at, ...ids };
}
