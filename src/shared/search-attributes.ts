import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes set on pipeline workflows so operators can filter failed runs (the DLQ) in the
 * Temporal Web UI, the `temporal` CLI and `kafka-pipeline dlq`. The local stack registers exactly these at
 * start (scripts/stack.sh); an integration test checks the running server has every one.
 */
export const SEARCH_ATTRIBUTES = {
  traceId: defineSearchAttributeKey('TraceId', SearchAttributeType.KEYWORD),
  domain: defineSearchAttributeKey('Domain', SearchAttributeType.KEYWORD),
  errorCategory: defineSearchAttributeKey('ErrorCategory', SearchAttributeType.KEYWORD),
  failedStage: defineSearchAttributeKey('FailedStage', SearchAttributeType.KEYWORD),
  eventType: defineSearchAttributeKey('EventType', SearchAttributeType.KEYWORD),
} as const;
