import type { GroupCommitter } from '@kafka-pipeline/delta-lake';
import type { Downloader } from '../adapters/http/downloader';
import type { UrlPolicy } from '../adapters/http/url-policy';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { CircuitBreaker } from '../resilience/circuit-breaker';
import type { ClaimxDeps } from './claimx/activities';
import type { MaintenanceDeps } from './maintenance';

/** What the activities are built from: the worker wires in the real adapters, tests their own. */
export interface ActivityDeps {
  readonly workerId: string;
  readonly taskQueue: string;
  readonly store: ObjectStore;
  readonly filesPrefix: string;
  readonly eventsTable: RowWriter;
  readonly attachmentsTable: RowWriter;
  readonly downloader: Downloader;
  readonly urlPolicy: UrlPolicy;
  readonly transferTimeoutMs: number;
  /**
   * TRANSFER_LOCAL_MAX_BYTES: the largest file the local first attempt of a transfer takes; a larger one is handed
   * to the regular activity (absent or 0: every local attempt hands over at once).
   */
  readonly localTransferMaxBytes?: number;
  readonly now?: () => Date;
  /** The circuit breaker of one download host (absent: no breaker). */
  readonly downloadBreaker?: (host: string) => CircuitBreaker;
  readonly metrics?: WorkerMetrics;
  /** The claimx domain's adapters (absent: its activities fail with ClaimxNotConfigured). */
  readonly claimx?: ClaimxDeps;
  /** Table maintenance and side-file retention (absent: those activities fail, saying so). */
  readonly maintenance?: MaintenanceDeps;
}

/** Where activities append rows: a GroupCommitter, possibly behind the Delta writer's circuit breaker. */
export type RowWriter = Pick<GroupCommitter, 'append' | 'flush'>;

export interface RecordResult {
  readonly written: number;
  readonly duplicates: number;
}
