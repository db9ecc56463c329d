import { columnDef as col, type TableDef } from '../../src/schema';

/** A table with a column of every Delta type the writer supports, partitioned by a date. */
export const ALL_TYPES: TableDef = {
  name: 'all_types',
  keyColumn: 'id',
  partitionColumns: ['day'],
  columns: [
    col('id', 'string', false),
    col('s', 'string'),
    col('n', 'long'),
    col('i', 'integer'),
    col('d', 'double'),
    col('b', 'boolean'),
    col('ts', 'timestamp'),
    col('day', 'date', false),
    col('never', 'string'), // no row has it
  ],
};
