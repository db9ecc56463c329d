import { columnDef as col, type TableDef } from '../../src/schema';

/** An entity table: key, two data columns, the merge order, and bookkeeping. */
export const ENTITY: TableDef = {
  name: 'entity',
  keyColumn: 'id',
  partitionColumns: [],
  columns: [
    col('id', 'long', false),
    col('name'),
    col('flag', 'boolean'),
    col('seen_at', 'timestamp', false),
    col('created_at', 'timestamp', false),
    col('updated_at', 'timestamp', false),
    col('versions'),
  ],
};
