import { type DeltaStore, type DeltaTable, mergeRows, type MergeResult } from '@kafka-pipeline/delta-lake';
import type { ClaimxApiClient } from '../../adapters/claimx/claimx-api';
import { type ClaimxEvent, claimxHandlerOf, type ClaimxHandler } from '../../shared/claimx-event';
import type { ClaimxMediaFile } from '../../shared/pipeline-types';
import { CLAIMX_ENTITY_TABLES, type ClaimxEntity, ENTITY_MERGE } from '../../domains/claimx/tables';
import { mediaDownloadLink, mediaRows, projectFlagRows, projectRows } from './project-rows';
import { taskRows, videoRows } from './task-rows';
import type { EntityRows } from './values';

export type { ClaimxMediaFile };

export interface EnrichResult {
  /** Null: an event type the pipeline does not enrich (recorded in claimx_events only, and completed). */
  readonly handler: ClaimxHandler | null;
  readonly apiCalls: number;
  /** Per entity table: keys inserted, updated, left unchanged. */
  readonly tables: Partial<Record<ClaimxEntity, { inserted: number; updated: number; unchanged: number }>>;
  readonly media: readonly ClaimxMediaFile[];
}

/** A reason the event can never be enriched as it is (a replay after a fix may succeed). */
export class ClaimxEnrichError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimxEnrichError';
  }
}

export interface EnrichDeps {
  readonly api: Pick<ClaimxApiClient, 'getProject' | 'getProjectMedia' | 'getCustomTask' | 'getVideoCollaboration'>;
  /** The lakehouse store of the tables, and the open entity table of each kind (opened once per worker). */
  readonly store: DeltaStore;
  readonly table: (entity: ClaimxEntity) => Promise<DeltaTable>;
  readonly now?: () => Date;
}

/**
 * Enriches one claimx event (spec §1.2): the API calls of its handler, the entity rows they give merged into the
 * entity tables (idempotent: the same event again changes nothing), and the media files to download. API errors
 * propagate as ClaimxApiError (their category decides retry); an answer that lacks what the event names is a
 * ClaimxEnrichError.
 */
export async function enrichClaimxEvent(deps: EnrichDeps, event: ClaimxEvent): Promise<EnrichResult> {
  const now = deps.now?.() ?? new Date();
  const handler = claimxHandlerOf(event.eventType);
  let rows: EntityRows = {};
  let apiCalls = 0;
  let media: ClaimxMediaFile[] = [];
  switch (handler) {
    case null:
      return { handler, apiCalls, tables: {}, media: [] };
    case 'project':
      rows = projectRows(event, await deps.api.getProject(event.projectId), now);
      apiCalls = 1;
      break;
    case 'projectMfn':
    case 'policyholder':
    case 'xaLinking':
      rows = projectFlagRows(event, now);
      break;
    case 'media': {
      if (!event.mediaId) throw new ClaimxEnrichError(`${event.eventType} without media_id`);
      const items = await deps.api.getProjectMedia(event.projectId, [event.mediaId]);
      apiCalls = 1;
      const found = mediaRows(event, items, now);
      if (!found) throw new ClaimxEnrichError(`media ${event.mediaId} is not in project ${event.projectId}'s media`);
      rows = found;
      const url = mediaDownloadLink(event, items);
      const row = found.media![0]!;
      if (url) {
        media = [
          {
            mediaId: event.mediaId,
            projectId: event.projectId,
            fileName: typeof row.file_name === 'string' ? row.file_name : null,
            fileType: typeof row.file_type === 'string' ? row.file_type : null,
            downloadUrl: url,
          },
        ];
      }
      break;
    }
    case 'task':
      if (!event.taskAssignmentId) throw new ClaimxEnrichError(`${event.eventType} without task_assignment_id`);
      rows = taskRows(event, await deps.api.getCustomTask(event.taskAssignmentId), now);
      apiCalls = 1;
      break;
    case 'video':
      rows = videoRows(event, await deps.api.getVideoCollaboration(event.projectId), now);
      apiCalls = 1;
      break;
  }
  const tables: EnrichResult['tables'] = {};
  for (const entity of Object.keys(CLAIMX_ENTITY_TABLES) as ClaimxEntity[]) {
    const list = rows[entity];
    if (!list || list.length === 0) continue;
    const table = await deps.table(entity);
    const r: MergeResult = await mergeRows(deps.store, table, list, ENTITY_MERGE);
    tables[entity] = { inserted: r.inserted.length, updated: r.updated.length, unchanged: r.unchanged.length };
  }
  return { handler, apiCalls, tables, media };
}
