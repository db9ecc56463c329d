import type { DeltaStore, DeltaTable } from '@kafka-pipeline/delta-lake';
import { ClaimxApiError, type ClaimxApiClient } from '../../adapters/claimx/claimx-api';
import { CircuitOpenError, type CircuitBreaker } from '../../resilience/circuit-breaker';
import { claimxBlobPath } from '../../shared/blob-path';
import type { ClaimxEvent } from '../../shared/claimx-event';
import type { AttachmentPlan, ClaimxMediaFile, TransferResult } from '../../shared/pipeline-types';
import { redactSecrets } from '../../shared/urls';
import type { RecordResult, RowWriter } from '../deps';
import { failure, toFailure } from '../failures';
import type { ClaimxEntity } from '../../domains/claimx/tables';
import { ClaimxEnrichError, enrichClaimxEvent, type EnrichResult } from './enrich';
import { linkExpiresSoon, refreshMediaLink } from './media-links';

/** What the claimx activities are built from (absent on a worker without the claimx domain). */
export interface ClaimxDeps {
  /** Null when CLAIMX_API_TOKEN is not set: enrichment fails with ClaimxNotConfigured (retried). */
  readonly api: ClaimxApiClient | null;
  readonly apiBreaker?: CircuitBreaker;
  readonly store: DeltaStore;
  readonly table: (entity: ClaimxEntity) => Promise<DeltaTable>;
  readonly eventsTable: RowWriter;
  readonly attachmentsTable: RowWriter;
  readonly filesPrefix: string;
  readonly now?: () => Date;
}

/** The claimx steps of ingestClaimxEvent: event row, enrichment, media plans and link refresh, media rows. */
export function createClaimxActivities(claimx: ClaimxDeps | undefined) {
  const now = () => claimx?.now?.() ?? new Date();
  const need = (): ClaimxDeps => {
    if (!claimx) throw failure('ClaimxNotConfigured', 'this worker does not run the claimx domain');
    return claimx;
  };
  const api = (d: ClaimxDeps): ClaimxApiClient => {
    if (!d.api) throw failure('ClaimxNotConfigured', 'CLAIMX_API_TOKEN is not set on this worker');
    return d.api;
  };
  /** An API call behind the claimx_api breaker (only transient failures count against it). */
  const call = <T>(d: ClaimxDeps, fn: () => Promise<T>): Promise<T> => (d.apiBreaker ? d.apiBreaker.run(fn) : fn());

  /** The file with a fresh link from the API (behind the breaker); failures in the error vocabulary. */
  const refreshed = async (d: ClaimxDeps, file: ClaimxMediaFile): Promise<ClaimxMediaFile> => {
    const client = api(d);
    try {
      return await refreshMediaLink({ getProjectMedia: (p, m) => call(d, () => client.getProjectMedia(p, m)) }, file);
    } catch (err) {
      throw claimxFailure(err);
    }
  };

  return {
    /** Writes the event's claimx_events row (exactly once per event_id). */
    async recordClaimxEvent(event: ClaimxEvent): Promise<RecordResult> {
      const d = need();
      try {
        return await d.eventsTable.append([claimxEventRow(event, now())]);
      } catch (err) {
        throw toFailure(err, 'delta');
      }
    },

    /** The handler's API calls and entity rows (merged, idempotent); the media files to download. */
    async enrichClaimxEvent(event: ClaimxEvent): Promise<EnrichResult> {
      const d = need();
      const client = api(d);
      try {
        return await enrichClaimxEvent(
          {
            api: {
              getProject: (id) => call(d, () => client.getProject(id)),
              getProjectMedia: (id, ids) => call(d, () => client.getProjectMedia(id, ids)),
              getCustomTask: (id) => call(d, () => client.getCustomTask(id)),
              getVideoCollaboration: (id) => call(d, () => client.getVideoCollaboration(id)),
            },
            store: d.store,
            table: d.table,
            now,
          },
          event,
        );
      } catch (err) {
        throw claimxFailure(err);
      }
    },

    /** Where the file goes, with a fresh link when the one in hand has expired or is about to (one API call). */
    async planClaimxMedia(file: ClaimxMediaFile): Promise<{ file: ClaimxMediaFile; plan: AttachmentPlan }> {
      const d = need();
      const current = linkExpiresSoon(file.downloadUrl, now()) ? await refreshed(d, file) : file;
      return { file: current, plan: mediaPlan(current, d.filesPrefix) };
    },

    /** A fresh link for a file whose download was refused as expired. */
    async refreshClaimxMedia(file: ClaimxMediaFile): Promise<{ file: ClaimxMediaFile; plan: AttachmentPlan }> {
      const d = need();
      const fresh = await refreshed(d, file);
      return { file: fresh, plan: mediaPlan(fresh, d.filesPrefix) };
    },

    /** One claimx_attachments row per stored media file (exactly once per media_id). */
    async recordClaimxAttachments(
      event: ClaimxEvent,
      items: { file: ClaimxMediaFile; result: TransferResult }[],
    ): Promise<RecordResult> {
      const d = need();
      const at = now();
      try {
        return await d.attachmentsTable.append(
          items.map(({ file, result }) => ({
            media_id: file.mediaId,
            project_id: file.projectId,
            file_name: file.fileName,
            file_type: file.fileType,
            blob_path: result.blobPath,
            bytes: result.bytes,
            source_event_id: event.eventId,
            created_at: at,
            updated_at: at,
          })),
        );
      } catch (err) {
        throw toFailure(err, 'delta');
      }
    },
  };
}

function mediaPlan(file: ClaimxMediaFile, filesPrefix: string): AttachmentPlan {
  const path = claimxBlobPath(file);
  return {
    url: file.downloadUrl,
    displayUrl: redactSecrets(file.downloadUrl),
    mediaId: file.mediaId,
    blobPath: path.blobPath,
    fileType: path.fileType,
    ext: path.ext,
    filesPrefix,
  };
}

function claimxEventRow(event: ClaimxEvent, at: Date) {
  return {
    event_id: event.eventId,
    event_type: event.eventType,
    project_id: event.projectId,
    media_id: event.mediaId,
    task_assignment_id: event.taskAssignmentId,
    video_collaboration_id: event.videoCollaborationId,
    master_file_name: event.masterFileName,
    ingested_at: event.ingestedAt,
    created_at: at,
    event_date: new Date(Date.parse(event.ingestedAt)).toISOString().slice(0, 10), // the UTC date
  };
}

/** A claimx failure in the error vocabulary (Delta and storage failures as the other steps map them). */
function claimxFailure(err: unknown): unknown {
  if (err instanceof ClaimxApiError) {
    const type =
      err.category === 'auth'
        ? 'ClaimxApiAuth'
        : err.category === 'permanent'
          ? 'ClaimxApiPermanent'
          : 'ClaimxApiTransient';
    return failure(type, err.message, { httpStatus: err.status });
  }
  if (err instanceof ClaimxEnrichError) return failure('ClaimxEnrichFailed', err.message);
  if (err instanceof CircuitOpenError) {
    return failure('ClaimxApiCircuitOpen', err.message, { breaker: err.component }, Math.max(1000, err.retryAfterMs));
  }
  return toFailure(err, 'delta');
}
