import fc from 'fast-check';
import { hostileString, nestedText } from './fuzz';

/**
 * Generators of Kafka records for the fuzz suite: valid events, events with hostile fields, and values that are
 * no event at all. Secret parameter values are drawn from `secretValue` so a test can search every output for them.
 */

/** A secret parameter value: recognisable, and unchanged by JSON or URL escaping (letters and digits only). */
export const secretValue = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/).map((s) => `Zsecret${s}`);

/** Query parameters that carry signatures or credentials (src/shared/urls.ts), in any letter case. */
const SECRET_NAMES = ['sig', 'signature', 'se', 'sv', 'token', 'access_token', 'api_key', 'key', 'password'];
const AMZ_NAMES = ['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'x-goog-signature'];
export const secretParam = fc.oneof(
  fc.constantFrom(...SECRET_NAMES, ...AMZ_NAMES).chain((n) => fc.mixedCase(fc.constant(n))),
);

/** How a URL is written inside a text: as is, or escaped the ways JSON and URLs allow. */
export type UrlEscaping = 'plain' | 'upper-scheme' | 'percent-name' | 'json-slashes' | 'json-unicode';
export const urlEscaping = fc.constantFrom<UrlEscaping>(
  'plain',
  'upper-scheme',
  'percent-name',
  'json-slashes',
  'json-unicode',
);

export interface SignedUrl {
  /** The URL as it reads once every escaping is undone. */
  readonly url: string;
  readonly secret: string;
  readonly param: string;
}

/** A signed URL under `base` (scheme, host, port, path) with one secret parameter among ordinary ones. */
export const signedUrl = (base = 'https://files.example.com'): fc.Arbitrary<SignedUrl> =>
  fc
    .record({
      path: fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 3 }),
      ext: fc.constantFrom('pdf', 'jpg', 'esx', 'png'),
      param: secretParam,
      secret: secretValue,
      before: fc.boolean(),
    })
    .map(({ path, ext, param, secret, before }) => {
      const q = before ? `${param}=${secret}&bytes=1500` : `bytes=1500&${param}=${secret}`;
      return { url: `${base}/${path.join('/')}.${ext}?${q}`, secret, param };
    });

/** The URL written as the inside of a JSON string literal (without quotes), escaped as `escaping` says. */
export function escapeForJson(u: SignedUrl, escaping: UrlEscaping): string {
  const inner = JSON.stringify(u.url).slice(1, -1);
  switch (escaping) {
    case 'json-slashes':
      return inner.replace(/\//g, '\\/');
    case 'json-unicode':
      return inner.replace(/\//g, '\\u002f').replace(/:/g, '\\u003a');
    case 'upper-scheme':
      return inner.replace(/^https?/i, (m) => m.toUpperCase());
    case 'percent-name':
      // The parameter's last letter percent-encoded: `sig=` as `si%67=` (a URL parser decodes it back).
      return inner.replace(
        `${u.param}=`,
        `${u.param.slice(0, -1)}%${u.param.charCodeAt(u.param.length - 1).toString(16)}=`,
      );
    default:
      return inner;
  }
}

/** An ISO time, or text that is not one. */
const eventTime = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  { weight: 1, arbitrary: hostileString(30) },
);

/** A trace id: ordinary, hostile, long, multi-byte, or one shaped like another id space's. */
export const traceId = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: hostileString(60) },
  { weight: 1, arbitrary: fc.nat(400).map((n) => '\u{1F600}'.repeat(n + 1)) },
  { weight: 1, arbitrary: fc.tuple(fc.uuid(), fc.constantFrom('\\', "'", '"', "\\'")).map(([u, e]) => u + e) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('invalid-', 'xact-', 'claimx-', 'xact-invalid-', 'claimx-invalid-'),
        fc.string({ maxLength: 30 }),
        fc.nat(5),
        fc.nat(1000),
      )
      .map(([p, t, part, off]) => `${p}${t}-${part}-${off}`),
  },
  { weight: 1, arbitrary: fc.nat(3000).map((n) => `t${'x'.repeat(n)}`) },
);

/**
 * `t` with `salt` before its last code point: a batch replayed from its seed gets fresh workflow ids (Temporal keeps
 * the earlier batch's runs) while every id keeps its shape (its prefix, its last character, blank or not).
 */
export function salted(t: string, salt: string): string {
  if (salt === '' || t.trim() === '') return t;
  const points = Array.from(t);
  return [...points.slice(0, -1), salt, ...points.slice(-1)].join('');
}

export interface EventShape {
  readonly traceId: string;
  /** The secrets the event carries in its attachment URLs (empty when none). */
  readonly secrets: string[];
  /** The value as produced. */
  readonly text: string;
}

/**
 * An xact event's text: fields valid or hostile, attachments (under `base`) possibly signed and escaped, `data`
 * possibly a JSON string of itself, possibly nested `depth` levels deep, and (with `manyUrls`) sometimes thousands
 * of attachments.
 */
export const xactEventTextOf = (
  base = 'https://files.example.com',
  manyUrls = true,
  salt = '',
): fc.Arbitrary<EventShape> =>
  fc
    .record({
      traceId: traceId.map((t) => salted(t, salt)),
      type: fc.oneof(
        fc.constantFrom('verisk.claims.property.xn.documentsReceived', 'x.estimatePackageReceived'),
        hostileString(20),
      ),
      utcDateTime: eventTime,
      version: fc.oneof(fc.constant(undefined), fc.integer(), fc.string({ maxLength: 5 })),
      assignmentId: hostileString(30),
      urls: fc.array(fc.tuple(signedUrl(base), urlEscaping), { maxLength: 4 }),
      extraUrls: manyUrls
        ? fc.oneof(
            { weight: 20, arbitrary: fc.constant(0) },
            { weight: 1, arbitrary: fc.integer({ min: 1000, max: 5000 }) },
          )
        : fc.constant(0),
      depth: fc.oneof(
        { weight: 5, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
      ),
      dataAsString: fc.boolean(),
      note: hostileString(40),
    })
    .map((f): EventShape => {
      const attachments = f.urls.map(([u, esc]) => `"${escapeForJson(u, esc)}"`);
      for (let i = 0; i < f.extraUrls; i++) attachments.push(`"${base}/many/${i}.pdf"`);
      const deep = f.depth > 0 ? `,"deep":${nestedText(f.depth)}` : '';
      const data = `{"assignmentId":${JSON.stringify(f.assignmentId)},"note":${JSON.stringify(f.note)},"attachments":[${attachments.join(',')}]${deep}}`;
      const head = { traceId: f.traceId, type: f.type, utcDateTime: f.utcDateTime, version: f.version };
      const text = `${JSON.stringify(head).slice(0, -1)},"data":${f.dataAsString ? JSON.stringify(data) : data}}`;
      return { traceId: f.traceId, secrets: f.urls.map(([u]) => u.secret), text };
    });

export const xactEventText = xactEventTextOf();

/** A claimx event's text, fields valid or hostile. */
export const claimxEventText = fc
  .record({
    event_type: fc.oneof(
      fc.constantFrom('PROJECT_CREATED', 'PROJECT_FILE_ADDED', 'CUSTOM_TASK_ASSIGNED'),
      hostileString(20),
    ),
    project_id: fc.oneof(fc.nat().map(String), fc.nat(), hostileString(10)),
    ingested_at: eventTime,
    media_id: fc.oneof(fc.constant(undefined), fc.nat(), hostileString(30)),
    master_file_name: fc.oneof(
      fc.constant(undefined),
      hostileString(60),
      fc.nat(200_000).map((n) => '\u0001'.repeat(n)),
    ),
    raw_data: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 })),
    depth: fc.oneof(
      { weight: 5, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
    ),
  })
  .map(({ depth, ...f }) => {
    const text = JSON.stringify(f);
    return depth > 0 ? `${text.slice(0, -1)},"raw_deep":${nestedText(depth)}}` : text;
  });

/** Bytes that are not valid UTF-8: stray continuation bytes, overlong forms, truncated sequences, surrogates. */
export const invalidUtf8 = fc
  .tuple(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      [0x80],
      [0xc0, 0xaf],
      [0xe0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
      [0xf0, 0x9f, 0x98],
    ),
    fc.string({ maxLength: 40 }),
  )
  .map(([a, bad, b]) => Buffer.concat([Buffer.from(a), Buffer.from(bad), Buffer.from(b)]));

/** A message value: an event (either domain), any JSON, any text, any bytes, or nothing. */
export const messageValue = fc.oneof(
  { weight: 6, arbitrary: xactEventText.map((e) => Buffer.from(e.text)) },
  { weight: 2, arbitrary: claimxEventText.map((t) => Buffer.from(t)) },
  { weight: 1, arbitrary: fc.json().map((t) => Buffer.from(t)) },
  { weight: 1, arbitrary: hostileString(200).map((t) => Buffer.from(t)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: invalidUtf8 },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
);

/** A message key: none, ordinary, or up to ~1 MB of bytes JSON escapes six-fold (issue 30 item 1). */
export const messageKey = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: hostileString(40).map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000_000 }).map((n) => Buffer.alloc(n, 1)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 5000 }).map((a) => Buffer.from(a)) },
);
