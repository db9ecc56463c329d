import { randomUUID } from 'node:crypto';

/** Realistic xact events whose attachments point at the local sample file server. */
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

/** Parses "K" or "MIN-MAX" into a picker of attachment counts. */
export function attachmentCounts(spec: string, random: () => number = Math.random): () => number {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) throw new Error(`--attachments takes a number or a range like 1-3, got ${JSON.stringify(spec)}`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min) throw new Error(`--attachments range ${spec} is empty`);
  return () => min + Math.floor(random() * (max - min + 1));
}
