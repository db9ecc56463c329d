import { proxySinks, workflowInfo, type Sinks } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';

/**
 * How a workflow tells its worker how it ended, for the metrics (pipeline_dlq_entries_total,
 * pipeline_dlq_replays_total, pipeline_end_to_end_latency_seconds). Sinks run outside the workflow sandbox, once
 * per real execution: never again when Temporal replays the history.
 */
export interface OutcomeSinks extends Sinks {
  outcomes: {
    completed(domain: string, eventTime: string | null, replay: boolean): void;
    failed(domain: string, category: string, stage: string, replay: boolean): void;
  };
}

const { outcomes } = proxySinks<OutcomeSinks>();

/** A replay is a reset run (new run id, same original run) or an amended replay (memo `amendedFrom`). */
function isReplay(): boolean {
  const info = workflowInfo();
  return info.runId !== info.originalExecutionRunId || info.memo?.amendedFrom !== undefined;
}

/** Runs the workflow body and reports how it ended; the failure's category and stage are its search attributes. */
export async function reportingOutcome<T>(
  domain: string,
  eventTime: string | null,
  body: () => Promise<T>,
): Promise<T> {
  try {
    const result = await body();
    outcomes.completed(domain, eventTime, isReplay());
    return result;
  } catch (err) {
    const attrs = workflowInfo().typedSearchAttributes;
    const category = attrs.get(SEARCH_ATTRIBUTES.errorCategory) ?? 'unknown';
    const stage = attrs.get(SEARCH_ATTRIBUTES.failedStage) ?? 'unknown';
    outcomes.failed(domain, category, stage, isReplay());
    throw err;
  }
}
