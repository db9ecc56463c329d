import { isAllowedExtension } from './file-types';
import { boundedSegment, withoutInvisibles } from './path-segment';
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
 * never leave its folder, holds no control or bidi character, and fits the store (each segment at most
 * MAX_SEGMENT_BYTES of UTF-8, see path-segment.ts; a name that fits keeps its exact old form):
 *   documentsReceived / other:  {subtype}/{assignment}/{trace}/{assignment}_{name}.{ext}
 *   firstNoticeOfLossReceived:  {subtype}/{assignment}/{trace}/{assignment}_FNOL_{name}.{ext}
 *   estimatePackageReceived:    {subtype}/{assignment}/{trace}/{assignment}_{estimateVersion|unknown}_{name}.{ext}
 */
export function generateBlobPath(input: BlobPathInput): BlobPath {
  const { name, ext } = fileNameOf(input.url);
  const assignment = component(input.assignmentId, 'unknown');
  let prefix = assignment;
  if (input.statusSubtype === 'firstNoticeOfLossReceived') prefix = `${assignment}_FNOL`;
  else if (input.statusSubtype === 'estimatePackageReceived') {
    prefix = `${assignment}_${component(input.estimateVersion ?? '', 'unknown')}`;
  }
  const folders = [
    folder(input.statusSubtype, 'unknown'),
    folder(input.assignmentId, 'unknown'),
    folder(input.traceId, 'unknown'),
  ];
  return {
    blobPath: [...folders, boundedSegment(`${prefix}_${withoutInvisibles(name)}`, ext)].join('/'),
    fileType: ext ? ext.toUpperCase() : 'UNKNOWN',
    ext,
  };
}

/** One path component: sanitised (no separator, control, format or bidi character), or `fallback`. */
function component(raw: string, fallback: string): string {
  return sanitizeComponent(withoutInvisibles(raw), fallback);
}

/** A folder named after `raw`: its sanitised form, bounded; a cut one is tagged with the hash of all of `raw`. */
function folder(raw: string, fallback: string): string {
  return boundedSegment(component(raw, fallback), '', { hashOf: raw });
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
      const slash = path.lastIndexOf('/') + 1;
      const stem = item.ext ? path.slice(slash, -(item.ext.length + 1)) : path.slice(slash);
      path = path.slice(0, slash) + boundedSegment(stem + suffix, item.ext);
    }
    seen.add(path);
    return { ...item, blobPath: path };
  });
}

/**
 * Where a claimx media file is stored, relative to the claimx files base (spec §2.7): `{project_id}/media/{file}`,
 * the file named by the API (`mediaName`), else by the link, else `media_{media_id}`; every component sanitised
 * and bounded as in generateBlobPath. The name's extension is one of the allowed file types or none: a name the
 * API gives another one (`invoice.exe`) keeps it as part of the name and takes the declared file type
 * (`fileType`, the API's mediaType) when that is an allowed one (`invoice_exe.jpg`), else no extension.
 */
export function claimxBlobPath(file: {
  readonly projectId: string;
  readonly mediaId: string;
  readonly fileName: string | null;
  readonly fileType?: string | null;
  readonly downloadUrl: string;
}): BlobPath {
  let name = file.fileName ? splitName(file.fileName) : null;
  if (!name) {
    try {
      const { name: stem, ext } = fileNameOf(file.downloadUrl);
      name = ext ? { stem: withoutInvisibles(stem), own: ext } : null;
    } catch {
      name = null;
    }
  }
  const { stem, ext } = storedName(
    name ?? { stem: `media_${component(file.mediaId, 'unknown')}`, own: '' },
    file.fileType ?? null,
  );
  return {
    blobPath: `${folder(file.projectId, 'unknown')}/media/${boundedSegment(stem, ext)}`,
    fileType: ext ? ext.toUpperCase() : 'UNKNOWN',
    ext: ext.toLowerCase(),
  };
}

/**
 * A file name as its sanitised stem and its own extension ('' when it has none); null when nothing usable is left.
 * A name cut by sanitising (too long) keeps its extension.
 */
function splitName(raw: string): { stem: string; own: string } | null {
  const whole = component(raw, '');
  if (whole === '') return null;
  const own = /\.([a-z0-9]{1,16})$/i.exec(whole)?.[1] ?? /\.([a-z0-9]{1,16})\s*$/i.exec(raw)?.[1];
  if (!own) return { stem: whole, own: '' }; // a dot inside the name (`_.._etc_passwd`) is not an extension
  if (whole.endsWith(`.${own}`)) return { stem: whole.slice(0, -own.length - 1), own };
  const stem = component(raw.slice(0, raw.lastIndexOf(`.${own}`)), '');
  return stem === '' ? null : { stem, own };
}

/** Stem and extension a media file is stored under: its own extension when allowed, else the declared type's. */
function storedName(name: { stem: string; own: string }, declared: string | null): { stem: string; ext: string } {
  if (!name.own || isAllowedExtension(name.own)) return { stem: name.stem, ext: name.own };
  const type = (declared ?? '').trim().replace(/^\./, '').toLowerCase();
  return { stem: `${name.stem}_${name.own}`, ext: isAllowedExtension(type) ? type : '' };
}
