import { DeltaTable } from '@kafka-pipeline/delta-lake';
import type { ObjectStore } from '../../../src/adapters/storage/object-store';
import { TOY_EVENTS, TOY_TABLE_PATH, type ToyInput } from './index';

/** The toy domain's one step: append the event's row to toy_events (a redelivery's row is a duplicate, not written). */
export function createToyActivities(store: ObjectStore) {
  let table: Promise<DeltaTable> | undefined;
  return {
    async recordToyEvent(input: ToyInput): Promise<number> {
      table ??= DeltaTable.open(store, TOY_TABLE_PATH, TOY_EVENTS);
      const result = await (await table).append([{ id: input.id, note: input.note, offset: input.source.offset }]);
      return result.writtenKeys.length;
    },
  };
}
