import { CLAIMX_DOMAIN, claimxEventIdOf, claimxWorkflowId, WORKFLOW_TYPES } from '../../shared/ids';
import type { IngestClaimxInput } from '../../shared/pipeline-types';
import type { Domain } from '../domain';
import { sampleClaimxEvent } from './sample';
import { CLAIMX_ENTITY_TABLES } from './tables';
import { CLAIMX_ATTACHMENTS, CLAIMX_EVENTS } from './event-tables';
import { toClaimxStartRequest } from './start';

/** The claimx domain: ClaimX webhook events, enriched from the ClaimX API into entity tables and media files. */
export const CLAIMX: Domain = {
  name: CLAIMX_DOMAIN,
  workflowType: WORKFLOW_TYPES.ingestClaimxEvent,
  source: (config) => ({ topic: config.claimxEventsTopic, group: config.claimxConsumerGroup }),
  toStart: toClaimxStartRequest,
  // The workflow reads no raw_data (the API is the source of truth), so a large one is left out: no claim check.
  largeEvent: {
    kind: 'lean',
    leftOut: 'raw_data',
    lean: (input) => {
      const claimx = input as IngestClaimxInput;
      return { ...claimx, event: { ...claimx.event, rawData: null } };
    },
  },
  ids: { workflowIdOf: claimxWorkflowId, traceIdOf: claimxEventIdOf },
  tables: (config) =>
    [CLAIMX_EVENTS, CLAIMX_ATTACHMENTS, ...Object.values(CLAIMX_ENTITY_TABLES)].map((def) => ({
      def,
      path: `${config.claimxTablesPrefix}/${def.name}`,
    })),
  replay: {
    fresh: (input) => input,
    setUrlsRefused:
      '--set-url amends xact attachment URLs only. ' +
      'A claimx run asks the ClaimX API for its media links again (expired ones are refreshed): use dlq replay',
  },
  viewEvent: (input) => (input as { event?: unknown } | null)?.event,
  sample: {
    event: (i) => sampleClaimxEvent(i),
    key: (e) => String(e.project_id ?? e.projectId),
  },
};
