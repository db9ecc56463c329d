import { fileNameOf, sanitizeComponent } from './urls';

export interface BlobPathInput {
  readonly statusSubtype: string;
  readonly traceId: string;
  readonly assignmentId: string;
  readonly url: string;
  readonly estimateVersion?: string | null;
}

export interface BlobPath {
  /** Relative to the xact files base, e.g. documentsReceived/A1234567/<trace>/A1234567_estimate.pdf */
  readonly blobPath: string;
  /** Upper-case extension, or UNKNOWN (as stored by the original system). */
  readonly fileType: string;
  readonly ext: string;
}

/**
 * The original system's generate_blob_path rules (spec §2.7), with every component sanitised so a path can
 * never leave its folder:
 *   documentsReceived / other:  {subtype}/{assignment}/{trace}/{assignment}_{name}.{ext}
 *   firstNoticeOfLossReceived:  {subtype}/{assignment}/{trace}/{assignment}_FNOL_{name}.{ext}
 *   estimatePackageReceived:    {subtype}/{assignment}/{trace}/{assignment}_{estimateVersion|unknown}_{name}.{ext}
 */
export function generateBlobPath(input: BlobPathInput): BlobPath {
  const { name, ext } = fileNameOf(input.url);
  const subtype = sanitizeComponent(input.statusSubtype, 'unknown');
  const assignment = sanitizeComponent(input.assignmentId, 'unknown');
  const trace = sanitizeComponent(input.traceId, 'unknown');
  let prefix = assignment;
  if (input.statusSubtype === 'firstNoticeOfLossReceived') prefix = `${assignment}_FNOL`;
  else if (input.statusSubtype === 'estimatePackageReceived') {
    prefix = `${assignment}_${sanitizeComponent(input.estimateVersion ?? '', 'unknown')}`;
  }
  const file = ext ? `${prefix}_${name}.${ext}` : `${prefix}_${name}`;
  return { blobPath: `${subtype}/${assignment}/${trace}/${file}`, fileType: ext ? ext.toUpperCase() : 'UNKNOWN', ext };
}

/**
 * Makes the blob paths of one event's attachments distinct: a later attachment whose path equals an earlier
 * one's gets `_<first 8 hex of its media id>` before the extension. Deterministic for a given attachment order.
 */
export function disambiguate<T extends { blobPath: string; mediaId: string; ext: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.map((item) => {
    let path = item.blobPath;
    if (seen.has(path)) {
      const suffix = `_${item.mediaId.replace(/-/g, '').slice(0, 8)}`;
      path = item.ext ? path.slice(0, -(item.ext.length + 1)) + `${suffix}.${item.ext}` : path + suffix;
    }
    seen.add(path);
    return { ...item, blobPath: path };
  });
}

/**
 * Where a claimx media file is stored, relative to the claimx files base (spec §2.7): `{project_id}/media/{file}`,
 * the file named by the API (`mediaName`), else by the link, else `media_{media_id}`; every component sanitised.
 */
export function claimxBlobPath(file: {
  readonly projectId: string;
  readonly mediaId: string;
  readonly fileName: string | null;
  readonly downloadUrl: string;
}): BlobPath {
  const fallback = `media_${sanitizeComponent(file.mediaId, 'unknown')}`;
  let base = file.fileName ? sanitizeComponent(file.fileName, '') : '';
  if (base === '') {
    try {
      const { name, ext } = fileNameOf(file.downloadUrl);
      base = ext ? `${name}.${ext}` : '';
    } catch {
      base = '';
    }
  }
  const name = base === '' ? fallback : base;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
  return {
    blobPath: `${sanitizeComponent(file.projectId, 'unknown')}/media/${name}`,
    fileType: ext ? ext.toUpperCase() : 'UNKNOWN',
    ext,
  };
}
