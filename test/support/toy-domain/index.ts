import { columnDef as col, type TableDef } from '@kafka-pipeline/delta-lake';
import {
  eventRequest,
  invalid,
  readMessage,
  retrySchedule,
  safely,
  type StartRequestOf,
} from '../../../src/domains/start-request';
import type { Domain } from '../../../src/domains/domain';
import type { KafkaSource, RetrySchedule } from '../../../src/shared/pipeline-types';
import { TOY, TOY_WORKFLOW } from './names';

/**
 * A third domain in one folder, as a new domain would look: messages `{"id": "...", "note": "..."}` become runs of
 * ingestToyEvent that write one row per id to the toy_events Delta table. Registered by its test, not in
 * src/domains/registry.ts: it proves that a domain needs nothing outside its folder and the registry line.
 */
export { TOY, TOY_WORKFLOW };

export interface ToyInput {
  readonly id: string;
  readonly note: string | null;
  readonly source: KafkaSource;
  readonly retry: RetrySchedule;
}

export const TOY_EVENTS: TableDef = {
  name: 'toy_events',
  keyColumn: 'id',
  partitionColumns: [],
  columns: [col('id', 'string', false), col('note'), col('offset', 'string', false)],
};
export const TOY_TABLE_PATH = 'Tables/toy_events';

const toStart: StartRequestOf = safely(TOY, (config, topic, partition, message) => {
  const read = readMessage(topic, partition, message, TOY);
  if (!('text' in read)) return read;
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return invalid(read.source, message, 'not JSON', TOY);
  }
  const { id, note } = (parsed ?? {}) as { id?: unknown; note?: unknown };
  if (typeof id !== 'string' || !/^[a-z0-9-]{1,64}$/.test(id)) return invalid(read.source, message, 'no id', TOY);
  const input: ToyInput = {
    id,
    note: typeof note === 'string' ? note : null,
    source: read.source,
    retry: retrySchedule(config),
  };
  return eventRequest(TOY, TOY_WORKFLOW, `${TOY}-${id}`, [input], {
    traceId: id,
    eventType: 'toy',
    summary: `toy ${id} from ${topic}/${partition}@${message.offset}`,
  });
});

/** The toy domain on its own topic and group. */
export function toyDomain(source: { topic: string; group: string }): Domain {
  return {
    name: TOY,
    workflowType: TOY_WORKFLOW,
    source: () => source,
    toStart,
    largeEvent: { kind: 'lean', leftOut: 'note', lean: (input) => ({ ...(input as ToyInput), note: null }) },
    ids: {
      workflowIdOf: (id) => `${TOY}-${id}`,
      traceIdOf: (workflowId) => (workflowId.startsWith(`${TOY}-invalid-`) ? null : workflowId.slice(TOY.length + 1)),
    },
    tables: () => [{ def: TOY_EVENTS, path: TOY_TABLE_PATH }],
    replay: { fresh: (input) => input, setUrlsRefused: 'toy events have no URLs' },
    viewEvent: (input) => {
      const { id, note } = input as ToyInput;
      return { id, note };
    },
    sample: { event: (i) => ({ id: `sample-${i}`, note: 'a sample' }), key: (e) => String(e.id) },
  };
}
