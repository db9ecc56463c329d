// Every workflow the worker registers. This file is the entry point of the workflow bundle.
export { healthCheck } from './health-check';
export { ingestXactEvent } from './ingest-xact-event';
export { ingestClaimxEvent } from './ingest-claimx-event';
export { quarantineInvalidMessage } from './quarantine-invalid-message';
export { dlqResolution } from './dlq-resolution';
export { maintainDeltaTable, maintainSideFiles } from './maintenance';
