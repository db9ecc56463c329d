import { type DeltaTable, DeltaTable as Table, GroupCommitter, type TableDef } from '@kafka-pipeline/delta-lake';
import { ClaimxApiClient, ClaimxApiError } from '../adapters/claimx/claimx-api';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { ClaimxDeps } from '../activities/claimx/activities';
import { CLAIMX_ATTACHMENTS, CLAIMX_EVENTS } from '../domains/claimx/event-tables';
import { CLAIMX_ENTITY_TABLES, type ClaimxEntity } from '../domains/claimx/tables';
import type { RowWriter } from '../activities';
import type { Config } from '../config/config';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { CircuitBreaker, CircuitBreakers } from '../resilience/circuit-breaker';
import { breakerSettings } from '../resilience/circuit-breaker';

/**
 * The claimx domain's adapters: the ClaimX API client behind the `claimx_api` breaker (only transient failures
 * count against it), and its tables under CLAIMX_TABLES_PREFIX, each opened on first use (a worker that never
 * sees a claimx event creates none).
 */
export function buildClaimxDeps(
  config: Config,
  store: ObjectStore,
  breakers: CircuitBreakers,
  guard: (writer: RowWriter) => RowWriter,
  flush: (table: string) => { maxRows: number; minIntervalMs: number },
  metrics?: WorkerMetrics,
): ClaimxDeps {
  const path = (def: TableDef) => `${config.claimxTablesPrefix}/${def.name}`;
  const opened = new Map<string, Promise<DeltaTable>>();
  const open = (def: TableDef): Promise<DeltaTable> => {
    let table = opened.get(def.name);
    if (!table) {
      table = Table.open(store, path(def), def);
      table.catch(() => opened.delete(def.name)); // a failed open is tried again on the next use
      opened.set(def.name, table);
    }
    return table;
  };
  const writer = (def: TableDef): RowWriter => {
    let committer: Promise<GroupCommitter> | undefined;
    const get = () => (committer ??= open(def).then((t) => new GroupCommitter(t, flush(def.name))));
    return guard({
      append: async (rows) => (await get()).append(rows),
      flush: async () => {
        if (committer) await (await committer).flush();
      },
    });
  };
  const api =
    config.claimxApiToken === ''
      ? null
      : new ClaimxApiClient({
          baseUrl: config.claimxApiUrl,
          token: config.claimxApiToken,
          timeoutMs: config.claimxApiTimeoutS * 1000,
          maxConcurrent: config.claimxApiMaxConcurrent,
          senderUsername: config.claimxApiSenderUsername,
          ...(metrics
            ? { observe: (m: string, e: string, s: string, t: number) => metrics.claimxApiRequest(m, e, s, t) }
            : {}),
        });
  const apiBreaker: CircuitBreaker = breakers.get('claimx_api', breakerSettings(config), (err) =>
    err instanceof ClaimxApiError ? err.retryable : true,
  );
  return {
    api,
    apiBreaker,
    store,
    table: (entity: ClaimxEntity) => open(CLAIMX_ENTITY_TABLES[entity]),
    eventsTable: writer(CLAIMX_EVENTS),
    attachmentsTable: writer(CLAIMX_ATTACHMENTS),
    filesPrefix: config.claimxFilesPrefix,
  };
}
