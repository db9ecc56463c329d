import type { CellValue, Row } from '@kafka-pipeline/delta-lake';
import type { ClaimxEvent } from '../../shared/claimx-event';
import type { ClaimxEntity } from '../../domains/claimx/tables';

/**
 * The values claimx entity rows are made of: API JSON read defensively (a field of the wrong type is null), and the
 * columns every row ends with. A column a handler does not know is left out of its row (undefined), so a merge
 * keeps what other events wrote there; null means "known to be empty".
 */
export type EntityRows = Partial<Record<ClaimxEntity, Row[]>>;
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
export const str = (v: unknown): string | null =>
  typeof v === 'string'
    ? v.trim() === ''
      ? null
      : v.trim()
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : null;
export const long = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
};
export const bool = (v: unknown): boolean | null =>
  typeof v === 'boolean' ? v : v === 'true' || v === 1 ? true : v === 'false' || v === 0 ? false : null;
export const time = (v: unknown): string | null =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(Date.parse(v)).toISOString() : null;

/** The columns every entity row ends with (claimx-tables' lineage). */
export function lineage(event: ClaimxEvent, now: Date): Record<string, CellValue> {
  return {
    event_id: event.eventId,
    source_event_time: event.ingestedAt,
    created_at: now,
    updated_at: now,
    last_enriched_at: now,
  };
}

/** A contact row; its key joins project, type and email (the original's declared key). */
export function contactRow(
  event: ClaimxEvent,
  now: Date,
  projectId: string,
  email: string,
  type: 'POLICYHOLDER' | 'CLAIM_REP',
  fields: Record<string, CellValue>,
): Row {
  return {
    contact_key: `${projectId}|${type}|${email.toLowerCase()}`,
    project_id: projectId,
    contact_email: email,
    contact_type: type,
    created_date: now.toISOString().slice(0, 10),
    ...fields,
    ...lineage(event, now),
  };
}
