/**
 * The part of the Thrift compact protocol that Parquet page headers and file footers are written in
 * (parquet-format's parquet.thrift): structs of i32, i64, binary, bool, struct and list fields. Writing only.
 *
 * A struct is its fields as [id, value] pairs in ascending id order; an undefined value is an absent optional
 * field:  struct([[1, i32(0)], [2, i32(size)], [5, struct([...])]])
 */

const TYPE = { TRUE: 1, FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

/** A field or list element: its compact type id and how to write its bytes. */
export interface ThriftValue {
  readonly type: number;
  write(out: ThriftWriter): void;
}

/** A growable byte buffer with the protocol's varint and zigzag encodings. */
export class ThriftWriter {
  private buf = new Uint8Array(256);
  private length = 0;

  byte(b: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = b;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  varint(n: number): void {
    for (; n >= 0x80; n = Math.floor(n / 0x80)) this.byte(n % 0x80 | 0x80);
    this.byte(n);
  }

  /** A signed integer as zigzag then varint; bigint keeps every int64 exact. */
  zigzag(n: bigint): void {
    let z = n >= 0n ? n << 1n : (-n << 1n) - 1n;
    for (; z >= 0x80n; z >>= 7n) this.byte(Number(z & 0x7fn) | 0x80);
    this.byte(Number(z));
  }

  bytes(b: Uint8Array): void {
    if (this.length + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  private grow(need: number): void {
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + need));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }
}

export const i32 = (n: number): ThriftValue => ({ type: TYPE.I32, write: (o) => o.zigzag(BigInt(n)) });

export const i64 = (n: number | bigint): ThriftValue => ({ type: TYPE.I64, write: (o) => o.zigzag(BigInt(n)) });

export const binary = (b: Uint8Array): ThriftValue => ({
  type: TYPE.BINARY,
  write: (o) => {
    o.varint(b.length);
    o.bytes(b);
  },
});

export const string = (s: string): ThriftValue => binary(Buffer.from(s, 'utf8'));

/** A bool field: its value is the field header's type (no value byte), so not usable as a list element. */
export const bool = (b: boolean): ThriftValue => ({ type: b ? TYPE.TRUE : TYPE.FALSE, write: () => undefined });

export type Fields = readonly (readonly [number, ThriftValue | undefined])[];

export const struct = (fields: Fields): ThriftValue => ({
  type: TYPE.STRUCT,
  write: (o) => {
    let last = 0;
    for (const [id, value] of fields) {
      if (value === undefined) continue;
      if (id <= last) throw new Error(`thrift struct fields out of order: ${id} after ${last}`);
      if (id - last <= 15) o.byte(((id - last) << 4) | value.type);
      else {
        o.byte(value.type);
        o.zigzag(BigInt(id));
      }
      value.write(o);
      last = id;
    }
    o.byte(0); // stop
  },
});

/** A list of values of one type (the type of the first, or STRUCT when empty). */
export const list = (items: readonly ThriftValue[]): ThriftValue => ({
  type: TYPE.LIST,
  write: (o) => {
    const elementType = items[0]?.type ?? TYPE.STRUCT;
    if (items.length < 15) o.byte((items.length << 4) | elementType);
    else {
      o.byte(0xf0 | elementType);
      o.varint(items.length);
    }
    for (const item of items) item.write(o);
  },
});

/** The bytes of a top-level struct (a page header, a file footer). */
export function serialise(value: ThriftValue): Uint8Array {
  const out = new ThriftWriter();
  value.write(out);
  return out.result();
}
