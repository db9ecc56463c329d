import type { Row } from '@kafka-pipeline/delta-lake';

/** A deterministic xact_events row for key `i` (one of three event dates). */
export function eventRow(i: number, prefix = 'evt'): Row {
  const day = 25 + (i % 3);
  return {
    type: 'verisk.claims.property.xn.documentsReceived',
    status_subtype: 'documentsReceived',
    version: '1',
    ingested_at: new Date(Date.UTC(2025, 11, day, 14, 5, 11, i % 1000)),
    event_date: `2025-12-${day}`,
    trace_id: `trace-${prefix}-${i}`,
    event_id: `${prefix}-${i}`,
    description: i % 5 === 0 ? null : `Documents received ${i}`,
    assignment_id: `A${1000000 + i}`,
    attachments: 'https://example.test/a.pdf',
    raw_json: JSON.stringify({ i }),
    created_at: new Date(Date.UTC(2026, 0, 1)),
    created_date: '2026-01-01',
  };
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);
