import { randomUUID } from 'node:crypto';

/**
 * The xact domain's sample events (`produce`, `start --demo`, tests, bench): realistic XactAnalysis status events
 * whose attachment URLs name routes of the file server stand-in (dev/file-server-standin.ts) under `sampleUrl`:
 * `files/...` answers the file, `status/404/...` a permanent failure.
 */
const SUBTYPES = [
  'documentsReceived',
  'firstNoticeOfLossReceived',
  'estimatePackageReceived',
  'estimateCreated',
] as const;
const FILES = [
  ['estimate', 'pdf'],
  ['roof_north', 'jpg'],
  ['claim_export', 'xml'],
  ['photo_sheet', 'pdf'],
  ['inventory', 'csv'],
] as const;

export interface SampleEventOptions {
  readonly sampleUrl: string;
  /** Number of attachments of this event. */
  readonly attachments: number;
  /** Probability that an attachment URL answers 404 (a permanent failure). */
  readonly failRate?: number;
  readonly bytes?: number;
  readonly random?: () => number;
  readonly traceId?: string;
}

export function sampleEvent(i: number, opts: SampleEventOptions): Record<string, unknown> {
  const random = opts.random ?? Math.random;
  const traceId = opts.traceId ?? randomUUID();
  const subtype = SUBTYPES[i % SUBTYPES.length];
  const assignment = `A${String(1_000_000 + i).padStart(7, '0')}`;
  const attachments = Array.from({ length: opts.attachments }, (_, k) => {
    const [name, ext] = FILES[(i + k) % FILES.length] ?? FILES[0];
    const route = random() < (opts.failRate ?? 0) ? 'status/404' : 'files';
    return `${opts.sampleUrl}/${route}/${assignment}/${traceId.slice(0, 8)}/${name}_${k + 1}.${ext}?bytes=${opts.bytes ?? 20_000}`;
  });
  return {
    type: `verisk.claims.property.xn.${subtype}`,
    version: 1,
    utcDateTime: new Date().toISOString(),
    traceId,
    data: {
      assignmentId: assignment,
      originalAssignmentId: assignment,
      description: `Sample ${subtype}`,
      xnAddress: 'XN.CARRIER.0042',
      carrierId: 'CARR01',
      estimateVersion: String(1 + (i % 3)),
      note: 'sample event from kafka-pipeline produce',
      author: 'sample.adjuster@carrier.example',
      dateTime: new Date().toISOString().slice(0, 19),
      attachments,
      adm: { coverageLoss: { claimNumber: `CLM-${String(i).padStart(6, '0')}` } },
      contact: { type: 'Insured', name: 'Sample Person', contactMethods: { email: { address: 'sample@example.com' } } },
    },
  };
}
