import type { TableDef } from '@kafka-pipeline/delta-lake';
import { CLAIMX_ATTACHMENTS, CLAIMX_EVENTS } from '../activities/claimx/event-tables';
import { CLAIMX_ENTITY_TABLES } from '../activities/claimx/tables';
import { XACT_ATTACHMENTS, XACT_EVENTS } from '../activities/xact-tables';
import type { Config } from '../config/config';
import { PIPELINE_DLQ, PIPELINE_DLQ_AUDIT } from '../dlq/archive-tables';

/** A Delta table the maintenance looks after: the name operators use (its schedule's target), where, and its schema. */
export interface MaintainedTable {
  readonly name: string;
  readonly path: string;
  readonly def: TableDef;
}

/** Every table the pipeline writes, by name: each gets its own maintenance schedule. */
export function maintainedTables(
  config: Pick<
    Config,
    'xactEventsTable' | 'xactAttachmentsTable' | 'claimxTablesPrefix' | 'dlqArchiveTable' | 'dlqAuditTable'
  >,
): ReadonlyMap<string, MaintainedTable> {
  const claimx = [CLAIMX_EVENTS, CLAIMX_ATTACHMENTS, ...Object.values(CLAIMX_ENTITY_TABLES)].map((def) => ({
    def,
    path: `${config.claimxTablesPrefix}/${def.name}`,
  }));
  const all = [
    { def: XACT_EVENTS, path: config.xactEventsTable },
    { def: XACT_ATTACHMENTS, path: config.xactAttachmentsTable },
    ...claimx,
    { def: PIPELINE_DLQ, path: config.dlqArchiveTable },
    { def: PIPELINE_DLQ_AUDIT, path: config.dlqAuditTable },
  ];
  return new Map(all.map(({ def, path }) => [def.name, { name: def.name, path, def }]));
}
