import fc from 'fast-check';
import type { IHeaders } from 'kafkajs';
import { hostileString, nestedText } from './fuzz';
import { claimxEventText, invalidUtf8, messageKey, xactEventTextOf } from './fuzz-events';

/**
 * The records the stack fuzz produces (test/integration/fuzz-bridge.test.ts): a fixed set of hostile records (the
 * inputs of issue 30) and random ones drawn from a seed, each with its partition and the secrets it carries.
 */
export interface FuzzRecord {
  readonly what: string;
  readonly key?: Buffer | string;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly partition: number;
  readonly secrets: readonly string[];
}

const MB = 1024 * 1024;
export const PARTITIONS = 6;

const event = (traceId: string, data: string, type = 'verisk.claims.property.xn.documentsReceived') =>
  `{"traceId":${JSON.stringify(traceId)},"type":"${type}","utcDateTime":"2026-01-02T03:04:05Z","data":${data}}`;

/** Random headers: any names, any bytes. */
const headers: fc.Arbitrary<IHeaders> = fc
  .dictionary(
    hostileString(12),
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    { maxKeys: 4 },
  )
  .map((h) => ({ ...h }));

/**
 * The hostile records of issue 30, each once: `root` is the sample server's URL, `topic` the test topic.
 * The collision pair relies on the topic being new: the invalid message is the first on partition 0 (offset 0).
 */
export function hostileRecords(root: string, topic: string, tag: string, secret: (i: number) => string): FuzzRecord[] {
  const files = `${root}/files`;
  const good = (i: number) => `${files}/h${i}/estimate.pdf?bytes=1500`;
  const none: IHeaders = {};
  return [
    {
      what: 'invalid message at the coordinates a trace id names',
      value: Buffer.from('{'),
      headers: none,
      partition: 0,
      secrets: [],
    },
    {
      what: 'event whose trace id names an invalid message (issue 30 item 6)',
      value: Buffer.from(event(`invalid-${topic}-0-0`, `{"assignmentId":"A1","attachments":["${good(1)}"]}`)),
      headers: none,
      partition: 1,
      secrets: [],
    },
    {
      what: 'invalid message with a 1 MB key of 0x01 bytes (item 1)',
      key: Buffer.alloc(MB, 1),
      value: Buffer.from('not json'),
      headers: { 'x-big': Buffer.alloc(1000, 2) },
      partition: 2,
      secrets: [],
    },
    {
      what: '5,000-level JSON in data (item 2)',
      value: Buffer.from(event(`${tag}-deep`, `{"assignmentId":"A2","attachments":[],"deep":${nestedText(5000)}}`)),
      headers: none,
      partition: 3,
      secrets: [],
    },
    {
      what: 'trace id of 300 multi-byte characters with a good attachment (item 3)',
      value: Buffer.from(
        event(`${tag}-${'\u{1F600}'.repeat(300)}`, `{"assignmentId":"A3","attachments":["${good(3)}"]}`),
      ),
      headers: none,
      partition: 4,
      secrets: [],
    },
    {
      what: 'trace id ending in a backslash (item 4)',
      value: Buffer.from(event(`${tag}-abc\\`, `{"assignmentId":"A4","attachments":["${root}/status/404/b/x.pdf"]}`)),
      headers: none,
      partition: 5,
      secrets: [],
    },
    {
      what: 'escaped signed URL in a string data (item 5)',
      value: Buffer.from(
        event(
          `${tag}-escaped`,
          JSON.stringify(
            `{"assignmentId":"A5","attachments":["${good(5).replace(/\//g, '\\/')}&X-Amz-Signature=${secret(5)}"]}`,
          ),
        ),
      ),
      headers: none,
      partition: 0,
      secrets: [secret(5)],
    },
    {
      what: 'escaped signed URL that fails (its DLQ entry must not show the secret)',
      value: Buffer.from(
        event(
          `${tag}-escaped-fail`,
          JSON.stringify(
            `{"assignmentId":"A6","attachments":["https:\\/\\/not-allowed.example\\/x.pdf?sig=${secret(6)}"]}`,
          ),
        ),
      ),
      headers: none,
      partition: 1,
      secrets: [secret(6)],
    },
    {
      what: '5,000-level JSON beside a signed URL (its DLQ entry is redacted when viewed and archived)',
      value: Buffer.from(
        event(
          `${tag}-deep-signed`,
          `{"assignmentId":"A9","attachments":["${good(9)}&sig=${secret(9)}"],"deep":${nestedText(5000)}}`,
        ),
      ),
      headers: none,
      partition: 4,
      secrets: [secret(9)],
    },
    {
      what: '2,500 attachments (item 8)',
      value: Buffer.from(
        event(
          `${tag}-many`,
          `{"assignmentId":"A7","attachments":[${Array.from({ length: 2500 }, (_, i) => `"${files}/m/${i}.pdf?bytes=10"`).join(',')}]}`,
        ),
      ),
      headers: none,
      partition: 2,
      secrets: [],
    },
    { what: 'invalid UTF-8', value: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), headers: none, partition: 3, secrets: [] },
    { what: 'empty value', value: Buffer.alloc(0), headers: none, partition: 4, secrets: [] },
    { what: 'tombstone (null value)', key: 'k', value: null, headers: none, partition: 5, secrets: [] },
    {
      what: 'a 2 MB valid event (claim check)',
      value: Buffer.from(
        event(`${tag}-big`, `{"assignmentId":"A8","attachments":["${good(8)}"],"notes":"${'n'.repeat(2 * MB)}"}`),
      ),
      headers: none,
      partition: 0,
      secrets: [],
    },
    {
      what: 'a 2 MB invalid message of control characters',
      key: Buffer.alloc(100_000, 1),
      value: Buffer.from(`{"x":"${'\\u0001'.repeat(MB / 3)}"`),
      headers: none,
      partition: 1,
      secrets: [],
    },
  ];
}

/**
 * `n` random records from `seed`: events with sample-server attachments (signed, escaped), claimx, junk; `salt` goes
 * into every trace id (see salted).
 */
export function randomRecords(files: string, n: number, seed: number, salt: string): FuzzRecord[] {
  const value = fc.oneof(
    {
      weight: 6,
      arbitrary: xactEventTextOf(files, false, salt).map((e) => ({ value: Buffer.from(e.text), secrets: e.secrets })),
    },
    { weight: 1, arbitrary: claimxEventText.map((t) => ({ value: Buffer.from(t), secrets: [] as string[] })) },
    { weight: 1, arbitrary: fc.json().map((t) => ({ value: Buffer.from(t), secrets: [] as string[] })) },
    { weight: 1, arbitrary: hostileString(200).map((t) => ({ value: Buffer.from(t), secrets: [] as string[] })) },
    { weight: 1, arbitrary: invalidUtf8.map((b) => ({ value: b, secrets: [] as string[] })) },
  );
  const record = fc.record({ key: messageKey, value, headers });
  return fc.sample(record, { numRuns: n, seed }).map((r, i) => ({
    what: `random record ${i}`,
    ...(r.key === null ? {} : { key: r.key }),
    value: r.value.value,
    headers: r.headers,
    partition: i % PARTITIONS,
    secrets: r.value.secrets,
  }));
}
