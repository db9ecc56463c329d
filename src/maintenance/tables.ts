import type { TableDef } from '@kafka-pipeline/delta-lake';
import type { Config } from '../config/config';
import { PIPELINE_DLQ, PIPELINE_DLQ_AUDIT } from '../dlq/archive-tables';
import type { DomainConfig } from '../domains/domain';
import { domainTables } from '../domains/registry';

/** A Delta table the maintenance looks after: the name operators use (its schedule's target), where, and its schema. */
export interface MaintainedTable {
  readonly name: string;
  readonly path: string;
  readonly def: TableDef;
}

/**
 * Every table the pipeline writes, by name: every domain's, then the DLQ's. Each gets its own maintenance schedule;
 * status and `delta verify|compact` know the same list.
 */
export function maintainedTables(
  config: DomainConfig & Pick<Config, 'dlqArchiveTable' | 'dlqAuditTable'>,
): ReadonlyMap<string, MaintainedTable> {
  const all = [
    ...domainTables(config),
    { def: PIPELINE_DLQ, path: config.dlqArchiveTable },
    { def: PIPELINE_DLQ_AUDIT, path: config.dlqAuditTable },
  ];
  return new Map(all.map(({ def, path }) => [def.name, { name: def.name, path, def }]));
}
