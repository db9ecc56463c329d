import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import { type DeltaTable, readTable } from '@kafka-pipeline/delta-lake';
import type { ObjectStore } from '../adapters/storage/object-store';
import { isEncrypted } from '../codec/encryption-codec';
import { boundedSegment } from '../shared/path-segment';
import { payloadFromJson, payloadToJson } from '../codec/payload-json';
import type { DlqEntry } from './dlq-service';
import { mostAttempts, type RunFailure } from './history';
import {
  type ArchiveRecord,
  archiveRecordOf,
  archiveRow,
  type ArchiveState,
  lazyTable,
  PIPELINE_DLQ,
} from './archive-tables';

/** Where the archive lives in the lakehouse. */
export interface ArchiveLocation {
  /** The pipeline_dlq Delta table. */
  readonly table: string;
  /** Folder of the archived run inputs, one JSON file per failed run. */
  readonly inputsPrefix: string;
}

/** The key of an archived input file that holds the input as an encoded payload. */
const ENCODED_INPUT = 'encodedPayload';

/** An archived DLQ entry: its failure, and the newest state recorded for it. */
export interface ArchivedEntry {
  readonly failed: ArchiveRecord;
  readonly state: ArchiveState;
  /** The row of that newest state (the failure itself while the entry is open). */
  readonly latest: ArchiveRecord;
}

/**
 * The DLQ archive in the lakehouse: every failed run (input, failure chain, Kafka coordinates) and every later
 * state of it, so an entry can be listed, read and replayed after Temporal deleted its run. Writing is idempotent:
 * the table keeps one row per (run, state) and a run's input file is always written to the same name. With payload
 * encryption on, the input file (which holds the real, signed URLs) is encrypted by the same codec as the history.
 */
export class DlqArchive {
  private readonly table: () => Promise<DeltaTable>;

  constructor(
    private readonly store: ObjectStore,
    readonly location: ArchiveLocation,
    private readonly codecs: readonly PayloadCodec[] = [],
  ) {
    this.table = lazyTable(store, location.table, PIPELINE_DLQ);
  }

  /** Archives a failed run (its input file first, then its row); doing it again changes nothing. */
  async recordFailure(entry: DlqEntry, run: RunFailure, now = new Date()): Promise<ArchiveRecord> {
    const inputPath = run.input ? this.inputPath(entry) : null;
    const inputJson = run.input ? JSON.stringify(run.input) : null;
    if (inputPath && run.input) await this.store.put(inputPath, await this.inputFile(run.input));
    const record: ArchiveRecord = {
      workflowId: entry.workflowId,
      runId: entry.runId,
      state: 'failed',
      kind: entry.kind,
      workflowType: run.workflowType,
      traceId: entry.traceId,
      domain: entry.domain,
      eventType: entry.eventType,
      category: entry.category,
      stage: entry.stage,
      failedAt: entry.failedAt ?? run.failure?.at ?? now.toISOString(),
      failure: failureChain(run),
      attempts: mostAttempts(run),
      replays: run.replayCount,
      source: run.source
        ? { topic: run.source.topic, partition: run.source.partition, offset: run.source.offset }
        : null,
      inputPath,
      inputJson,
      newRunId: null,
      operator: null,
      reason: null,
      recordedAt: now.toISOString(),
    };
    await this.append([record]);
    return record;
  }

  /** Records what became of an archived failure: replayed (into `newRunId`) or resolved, by whom and why. */
  async recordState(
    failed: ArchiveRecord,
    state: Exclude<ArchiveState, 'failed'>,
    change: { newRunId: string | null; operator: string; reason: string },
    now = new Date(),
  ): Promise<void> {
    await this.append([{ ...failed, state, ...change, recordedAt: now.toISOString() }]);
  }

  /** Every archived entry, newest failure first. */
  async entries(): Promise<ArchivedEntry[]> {
    const rows = await readTable(this.store, this.location.table, PIPELINE_DLQ);
    const byRun = new Map<string, ArchiveRecord[]>();
    for (const r of rows.map(archiveRecordOf)) {
      const key = `${r.workflowId}/${r.runId}`;
      byRun.set(key, [...(byRun.get(key) ?? []), r]);
    }
    const entries: ArchivedEntry[] = [];
    for (const records of byRun.values()) {
      const failed = records.find((r) => r.state === 'failed');
      if (!failed) continue; // a state change whose failure row is not there: cannot happen through this class
      const changes = records.filter((r) => r.state !== 'failed');
      const latest = changes.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).at(-1) ?? failed;
      entries.push({ failed, state: latest.state, latest });
    }
    return entries.sort((a, b) => b.failed.failedAt.localeCompare(a.failed.failedAt));
  }

  /** Run ids that have a `failed` row: what the monitor need not archive again. */
  async archivedRunIds(): Promise<Set<string>> {
    return new Set((await this.entries()).map((e) => e.failed.runId));
  }

  /** The input the failed run was started with, exactly (real URLs), read from its archived file. */
  async input(record: ArchiveRecord): Promise<Record<string, unknown>> {
    if (!record.inputPath) throw new Error(`${record.workflowId}: the archive holds no input of run ${record.runId}`);
    const bytes = await this.store.get(record.inputPath);
    if (!bytes) throw new Error(`${record.workflowId}: archived input ${record.inputPath} is missing from storage`);
    const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    if (!(ENCODED_INPUT in parsed)) return parsed;
    let payloads = [payloadFromJson(parsed[ENCODED_INPUT], record.inputPath)];
    for (const codec of [...this.codecs].reverse()) payloads = await codec.decode(payloads);
    if (isEncrypted(payloads[0])) {
      throw new Error(
        `${record.workflowId}: archived input ${record.inputPath} is encrypted; set TEMPORAL_PAYLOAD_KEYS`,
      );
    }
    return defaultPayloadConverter.fromPayload(payloads[0]!);
  }

  /** The input as a file: plain JSON, or (a codec encrypts) `{"encodedPayload": <payload as proto3 JSON>}`. */
  private async inputFile(input: Record<string, unknown>): Promise<Buffer> {
    let payloads = [defaultPayloadConverter.toPayload(input)];
    for (const codec of this.codecs) payloads = await codec.encode(payloads);
    const [p] = payloads;
    if (!isEncrypted(p)) return Buffer.from(JSON.stringify(input));
    return Buffer.from(JSON.stringify({ [ENCODED_INPUT]: payloadToJson(p!) }));
  }

  /**
   * One folder per workflow id (URL-encoded, as it always was), bounded like every path segment: a trace id of any
   * length or script gets a name the store can write. The run id (a UUID) keeps files of different runs apart.
   */
  private inputPath(entry: DlqEntry): string {
    const folder = boundedSegment(entry.workflowId, '', { encode: encodeURIComponent });
    return `${this.location.inputsPrefix}/${folder}/${entry.runId}.json`;
  }

  private async append(records: readonly ArchiveRecord[]): Promise<void> {
    await (await this.table()).append(records.map(archiveRow));
  }
}

/** The whole failure of a run as text: its failure, then each failed step with its attempts and HTTP status. */
export function failureChain(run: RunFailure): string | null {
  const lines: string[] = [];
  if (run.failure) lines.push(`${run.failure.type}: ${run.failure.message}`);
  for (const s of run.steps) {
    const what = [s.activity, s.target, s.httpStatus === null ? null : `HTTP ${s.httpStatus}`].filter(Boolean);
    lines.push(`  ${what.join(' ')} failed after ${s.attempts} attempt(s) (${s.type}): ${s.message}`);
  }
  return lines.length > 0 ? lines.join('\n') : null;
}
