import type { EncodedColumn } from './column-cells';
import type { DeltaType } from './schema';
import { type ThriftValue, struct, bool } from './thrift-compact';

/**
 * The Parquet that data files are written in (parquet-pages.ts encodes column chunks on the Parquet thread,
 * parquet-file.ts puts a file together): one row group; every column OPTIONAL; data pages v1 cut at PAGE_BYTES;
 * PLAIN values, or a dictionary page and entry numbers for strings of few distinct values (parquet-dictionary.ts);
 * RLE/bit-packed definition levels; snappy; column-chunk statistics (null count, min/max of integer,
 * date and timestamp columns). Timestamps are INT64 TIMESTAMP(MICROS, UTC), dates INT32 DATE, strings BYTE_ARRAY
 * UTF-8. Checkpoints, whose columns nest, are written by parquet-wasm (parquet.ts).
 */

/** Uncompressed size at which a column's data page is cut (the usual writers' default). */
export const PAGE_BYTES = 1 << 20;

// Values of parquet.thrift's enums.
export const PHYSICAL = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export const OPTIONAL = 1;
export const ENCODING = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3 } as const;
export const SNAPPY = 1;
export const DATA_PAGE = 0;
export const DICTIONARY_PAGE = 2;
const CONVERTED = { UTF8: 0, DATE: 6, TIMESTAMP_MICROS: 10 } as const;

export const EMPTY = struct([]);

/** How a Delta type is stored: physical type, value width in bytes (0: variable, -1: one bit), annotations. */
export interface Layout {
  readonly physical: number;
  readonly width: number;
  readonly converted?: number;
  readonly logical?: ThriftValue;
}

export const LAYOUT: Record<DeltaType, Layout> = {
  string: { physical: PHYSICAL.BYTE_ARRAY, width: 0, converted: CONVERTED.UTF8, logical: struct([[1, EMPTY]]) },
  timestamp: {
    physical: PHYSICAL.INT64,
    width: 8,
    converted: CONVERTED.TIMESTAMP_MICROS,
    logical: struct([
      [
        8,
        struct([
          [1, bool(true)],
          [2, struct([[2, EMPTY]])],
        ]),
      ],
    ]), // isAdjustedToUTC, MICROS
  },
  long: { physical: PHYSICAL.INT64, width: 8 },
  date: { physical: PHYSICAL.INT32, width: 4, converted: CONVERTED.DATE, logical: struct([[6, EMPTY]]) },
  integer: { physical: PHYSICAL.INT32, width: 4 },
  double: { physical: PHYSICAL.DOUBLE, width: 8 },
  boolean: { physical: PHYSICAL.BOOLEAN, width: -1 },
};

/** The buffers of one column of a data file (column-cells.ts), without its Delta stats. */
export type ColumnBuffers = Omit<EncodedColumn, 'stats'>;

/**
 * One column of a data file, encoded and compressed: what the Parquet thread hands back (plain data, so it can
 * cross threads) and what the file's footer describes.
 */
export interface ColumnChunk {
  readonly name: string;
  readonly type: DeltaType;
  /** Values, nulls included. */
  readonly length: number;
  readonly nullCount: number;
  /** The chunk's pages in order, each a page header then its compressed levels and values. */
  readonly bytes: Uint8Array;
  /** Size of the pages with their data uncompressed (headers included), as the footer reports it. */
  readonly uncompressedSize: number;
  /** Bytes of the dictionary page at the chunk's start (dictionary-encoded strings); the data pages follow it. */
  readonly dictionaryPageSize?: number;
  /** A string column's min and max for the Delta log (string-stats.ts), when kept. */
  readonly stringStats?: { readonly min: string; readonly max: string };
  /** Min and max in PLAIN form, for the types whose statistics are kept. */
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
}
