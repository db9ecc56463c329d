import { type ColumnChunk, EMPTY, ENCODING, LAYOUT, OPTIONAL, SNAPPY } from './parquet-format';
import { type ThriftValue, binary, i32, i64, list, serialise, string, struct } from './thrift-compact';

const MAGIC = Buffer.from('PAR1');
/** In the form parquet-mr parses ("<application> version <version>"), so Spark trusts the statistics. */
const CREATED_BY = 'kafka-pipeline version 0.1.0 (delta writer)';

/**
 * A Parquet data file from its column chunks (parquet-pages.ts), in order: "PAR1", the chunks, the footer
 * (FileMetaData: schema, one row group, statistics), the footer's length, "PAR1".
 */
export function assembleDataFile(chunks: readonly ColumnChunk[], rows: number): Uint8Array {
  for (const c of chunks) {
    if (c.length !== rows) throw new Error(`column ${c.name} has ${c.length} values, the file ${rows} rows`);
  }
  const metas: ThriftValue[] = [];
  let offset = MAGIC.length;
  for (const c of chunks) {
    metas.push(chunkMeta(c, offset));
    offset += c.bytes.length;
  }
  const uncompressed = chunks.reduce((n, c) => n + c.uncompressedSize, 0);
  const rowGroup = struct([
    [1, list(metas)],
    [2, i64(uncompressed)],
    [3, i64(rows)],
    [5, i64(MAGIC.length)], // file offset of its first page
    [6, i64(offset - MAGIC.length)],
  ]);
  const root = struct([
    [4, string('schema')],
    [5, i32(chunks.length)],
  ]);
  const footer = serialise(
    struct([
      [1, i32(1)],
      [2, list([root, ...chunks.map(schemaElement)])],
      [3, i64(rows)],
      [4, list([rowGroup])],
      [6, string(CREATED_BY)],
      [7, list(chunks.map(() => struct([[1, EMPTY]])))], // column orders: min/max by the type's order
    ]),
  );
  const file = new Uint8Array(offset + footer.length + 8);
  file.set(MAGIC, 0);
  let at = MAGIC.length;
  for (const c of chunks) {
    file.set(c.bytes, at);
    at += c.bytes.length;
  }
  file.set(footer, at);
  new DataView(file.buffer).setUint32(at + footer.length, footer.length, true);
  file.set(MAGIC, at + footer.length + 4);
  return file;
}

function schemaElement(c: ColumnChunk): ThriftValue {
  const { physical, converted, logical } = LAYOUT[c.type];
  return struct([
    [1, i32(physical)],
    [3, i32(OPTIONAL)],
    [4, string(c.name)],
    [6, converted === undefined ? undefined : i32(converted)],
    [10, logical],
  ]);
}

function chunkMeta(c: ColumnChunk, offset: number): ThriftValue {
  const statistics = struct([
    [3, i64(c.nullCount)],
    [5, c.max && binary(c.max)],
    [6, c.min && binary(c.min)],
  ]);
  const dictionary = c.dictionaryPageSize !== undefined;
  const meta = struct([
    [1, i32(LAYOUT[c.type].physical)],
    [2, list([i32(dictionary ? ENCODING.PLAIN_DICTIONARY : ENCODING.PLAIN), i32(ENCODING.RLE)])],
    [3, list([string(c.name)])],
    [4, i32(SNAPPY)],
    [5, i64(c.length)],
    [6, i64(c.uncompressedSize)],
    [7, i64(c.bytes.length)],
    [9, i64(offset + (c.dictionaryPageSize ?? 0))], // data_page_offset: the chunk's first data page
    [11, dictionary ? i64(offset) : undefined], // dictionary_page_offset: the chunk's start
    [12, statistics],
  ]);
  return struct([
    [2, i64(offset)],
    [3, meta],
  ]);
}
