import os from 'node:os';
import { DeltaSchemaError, GroupCommitter, DeltaTable } from '@kafka-pipeline/delta-lake';
import type { ActivityDeps, RowWriter } from '../activities';
import { breakerSettings, CircuitBreakers, type CircuitBreaker } from '../resilience/circuit-breaker';
import { DownloadError } from '../adapters/http/download-error';
import { GuardedStore } from '../adapters/storage/guarded-store';
import { ERROR_TYPES } from '../shared/errors';
import { XACT_ATTACHMENTS, XACT_EVENTS } from '../domains/xact/tables';
import { Downloader } from '../adapters/http/downloader';
import { createObjectStore } from '../wiring/object-store';
import { InstrumentedStore } from '../adapters/storage/instrumented-store';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { Config } from '../config/config';
import { buildClaimxDeps } from './claimx-deps';

/** Builds the adapters the activities use from the configuration. */
export async function buildActivityDeps(
  config: Config,
  baseStore: ObjectStore = createObjectStore(config),
  metrics?: WorkerMetrics,
  breakers: CircuitBreakers = new CircuitBreakers(undefined),
): Promise<ActivityDeps> {
  const settings = breakerSettings(config);
  // A failing download source surfaces through the store's put; it says nothing about the store.
  const storeBreaker = breakers.get('onelake_client', settings, (err) => !(err instanceof DownloadError));
  const deltaBreaker = breakers.get('delta_writer', settings, (err) => !(err instanceof DeltaSchemaError));
  const downloadSettings = { ...settings, failureThreshold: config.breakerDownloadFailureThreshold };
  const instrumented = metrics ? new InstrumentedStore(baseStore, metrics) : baseStore;
  const store = new GuardedStore(instrumented, storeBreaker);
  const flush = (table: string) => ({
    maxRows: config.deltaFlushRows,
    minIntervalMs: config.deltaCommitIntervalMs,
    onCommit: metrics && ((ok: boolean, s: number, rows: number) => metrics.deltaCommit(table, ok, s, rows)),
  });
  const [events, attachments] = await Promise.all([
    DeltaTable.open(store, config.xactEventsTable, XACT_EVENTS),
    DeltaTable.open(store, config.xactAttachmentsTable, XACT_ATTACHMENTS),
  ]);
  const urlPolicy = {
    allowedHosts: new Set(config.allowedAttachmentDomains),
    httpHosts: new Set(config.downloadHttpHosts),
    allowLoopback: config.downloadAllowLoopback,
    allowedPorts: new Set(config.downloadAllowedPorts),
  };
  return {
    workerId: `${os.hostname()}:${process.pid}`,
    taskQueue: config.taskQueue,
    store,
    filesPrefix: config.xactFilesPrefix,
    eventsTable: guarded(new GroupCommitter(events, flush('xact_events')), deltaBreaker),
    attachmentsTable: guarded(new GroupCommitter(attachments, flush('xact_attachments')), deltaBreaker),
    downloadBreaker: (host) => breakers.forHost(host, downloadSettings, countsAgainstHost),
    metrics,
    urlPolicy,
    downloader: new Downloader({
      ...urlPolicy,
      maxBytes: config.downloadMaxBytes,
      maxRedirects: config.downloadMaxRedirects,
      idleTimeoutMs: config.downloadIdleTimeoutS * 1000,
    }),
    transferTimeoutMs: config.downloadTimeoutS * 1000,
    localTransferMaxBytes: config.transferLocalMaxBytes,
    claimx: buildClaimxDeps(config, store, breakers, (w) => guarded(w, deltaBreaker), flush, metrics),
  };
}

/** Appends go through the Delta writer's breaker; flushing at shutdown does not. */
function guarded(writer: RowWriter, breaker: CircuitBreaker): RowWriter {
  return { append: (rows) => breaker.run(() => writer.append(rows)), flush: () => writer.flush() };
}

/** Only failures that say the host is unhealthy count: not a 404, a refused file type or a size limit. */
function countsAgainstHost(err: unknown): boolean {
  if (!(err instanceof DownloadError)) return true;
  const { category } = ERROR_TYPES[err.type];
  return category === 'transient' || category === 'unknown';
}
