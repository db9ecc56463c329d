import os from 'node:os';
import type { ActivityDeps } from '../activities';
import { GroupCommitter } from '../adapters/delta/group-commit';
import { DeltaTable } from '../adapters/delta/table';
import { XACT_ATTACHMENTS, XACT_EVENTS } from '../adapters/delta/xact-tables';
import { Downloader } from '../adapters/http/downloader';
import { createObjectStore } from '../adapters/storage/create-store';
import { InstrumentedStore } from '../adapters/storage/instrumented-store';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { Config } from '../config/config';

/** Builds the adapters the activities use from the configuration. */
export async function buildActivityDeps(
  config: Config,
  baseStore: ObjectStore = createObjectStore(config),
  metrics?: WorkerMetrics,
): Promise<ActivityDeps> {
  const store = metrics ? new InstrumentedStore(baseStore, metrics) : baseStore;
  const flush = (table: string) => ({
    maxRows: config.deltaFlushRows,
    maxDelayMs: config.deltaFlushMs,
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
  };
  return {
    workerId: `${os.hostname()}:${process.pid}`,
    taskQueue: config.taskQueue,
    store,
    filesPrefix: config.xactFilesPrefix,
    eventsTable: new GroupCommitter(events, flush('xact_events')),
    attachmentsTable: new GroupCommitter(attachments, flush('xact_attachments')),
    urlPolicy,
    downloader: new Downloader({
      ...urlPolicy,
      maxBytes: config.downloadMaxBytes,
      maxRedirects: config.downloadMaxRedirects,
      idleTimeoutMs: config.downloadIdleTimeoutS * 1000,
    }),
    transferTimeoutMs: config.downloadTimeoutS * 1000,
  };
}
