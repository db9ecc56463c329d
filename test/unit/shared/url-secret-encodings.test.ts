import assert from 'node:assert/strict';
import { xactEventRow } from '../../../src/activities/rows';
import { redactedInput } from '../../../src/cli/dlq/dlq-format';
import { archiveRow } from '../../../src/dlq/archive-tables';
import { createLogger, redactUrls } from '../../../src/observability/logger';
import { sampleEvent } from '../../../src/domains/xact/sample';
import {
  redactJsonSecrets,
  redactSecrets,
  redactSecretsDeep,
  redactUrlSecrets,
  sanitizeUrl,
} from '../../../src/shared/urls';
import { decodeXactEvent } from '../../../src/shared/xact-event';
import { decodedView } from '../../support/decoded-view';

/**
 * Redaction holds whatever the escaping of the URL inside the text: every combination of an encoding (escaped
 * slashes, JSON unicode escapes, percent-encoding once or twice, HTML entities, upper-case scheme and names), a
 * nesting (JSON string inside JSON string, up to three levels) and a secret parameter name, with random secrets
 * from a seeded generator (the seed is printed on failure so a case reproduces).
 */

const SEED = Number(process.env.URL_SECRETS_SEED ?? 20261205);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomSecret = (next: () => number): string =>
  Array.from({ length: 24 }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');

const NAMES = [
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Goog-Signature',
  'sig',
  'se',
  'Signature',
  'token',
  'access_token',
];

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const ENCODINGS = {
  plain: (u) => u,
  escapedSlashes: (u) => u.replace(/\//g, '\\/'),
  unicodeSeparators: (u) => u.replace(/[:/?&=]/g, hex4),
  unicodeEverything: (u) => [...u].map(hex4).join(''),
  percentInRedirect: (u) => `https://app.example.com/open?to=${encodeURIComponent(u)}&x=1`,
  doublePercent: (u) => `https://app.example.com/open?to=${encodeURIComponent(encodeURIComponent(u))}`,
  htmlAmp: (u) => u.replace(/&/g, '&amp;'),
  upperCase: (u) => u.replace(/^https/, 'HTTPS').replace(/\?([^=]+)=/, (_m, n: string) => `?${n.toUpperCase()}=`),
  gsonStyle: (u) => u.replace(/[=&]/g, hex4).replace(/\//g, '\\/'),
} satisfies Record<string, (url: string) => string>;

/** Wraps text as a JSON string value `levels` times (a JSON document in a string in a string...). */
function nestedJson(text: string, levels: number): string {
  let doc = JSON.stringify({ attachments: [text] });
  for (let i = 1; i < levels; i++) doc = JSON.stringify({ data: doc });
  return doc;
}

interface Case {
  readonly label: string;
  readonly secret: string;
  readonly text: string;
}

function cases(): Case[] {
  const next = rng(SEED);
  const out: Case[] = [];
  for (const name of NAMES) {
    for (const [encoding, encode] of Object.entries(ENCODINGS)) {
      for (const levels of [0, 1, 2, 3]) {
        const secret = randomSecret(next);
        const url = `https://files.example.com/claims/A1/estimate.pdf?name=estimate&${name}=${secret}&page=2`;
        const encoded = encode(url);
        const text = levels === 0 ? `HTTP 403 from ${encoded} (retrying)` : nestedJson(encoded, levels);
        out.push({ label: `seed ${SEED}: ${name} / ${encoding} / ${levels} level(s)`, secret, text });
      }
    }
  }
  return out;
}

const CASES = cases();

describe('signed URL parameters are redacted whatever their escaping (issue 30 item 5)', () => {
  it('the generated texts do hold the secret (the check below would see it)', () => {
    for (const c of CASES) assert.ok(decodedView(c.text).includes(c.secret), c.label);
  });

  it('redactUrlSecrets: no secret in any decoding of the result, the host still shown', () => {
    for (const c of CASES) {
      const clean = redactUrlSecrets(c.text);
      assert.ok(!decodedView(clean).includes(c.secret), `${c.label}: ${clean}`);
      assert.ok(decodedView(clean).includes('files.example.com'), `${c.label}: ${clean}`);
    }
  });

  it('redactJsonSecrets and redactSecretsDeep: JSON text and values, nested JSON strings included', () => {
    for (const c of CASES) {
      const json = JSON.stringify({ traceId: 't', data: c.text });
      const clean = redactJsonSecrets(json);
      assert.ok(!decodedView(clean).includes(c.secret), `${c.label}: ${clean}`);
      assert.equal(JSON.parse(clean).traceId, 't', c.label);
      const deep = redactSecretsDeep({ data: { list: [c.text] } });
      assert.ok(!decodedView(JSON.stringify(deep)).includes(c.secret), c.label);
    }
  });

  it('sanitizeUrl and redactSecrets: a URL whose redirect target carries the signature', () => {
    for (const c of CASES.filter((x) => /percent|plain|upper/i.test(x.label) && x.label.endsWith(' 0 level(s)'))) {
      const url = c.text.slice('HTTP 403 from '.length, -' (retrying)'.length);
      for (const f of [sanitizeUrl, redactSecrets]) {
        assert.ok(!decodedView(f(url)).includes(c.secret), `${c.label}: ${f(url)}`);
      }
    }
  });

  it('credentials in the authority are removed in every escaping', () => {
    const url = 'https://admin:Hunter2Secret99@files.example.com/x.pdf';
    for (const [encoding, encode] of Object.entries(ENCODINGS)) {
      for (const text of [encode(url), nestedJson(encode(url), 2)]) {
        const clean = redactUrlSecrets(text);
        assert.ok(!decodedView(clean).includes('Hunter2Secret99'), `${encoding}: ${clean}`);
      }
    }
  });

  it('log lines and failure histories (redactUrls) hold no secret in any escaping', () => {
    const lines: string[] = [];
    const log = createLogger('test', { write: (l) => lines.push(l) });
    for (const c of CASES) {
      assert.ok(!decodedView(redactUrls(c.text)).includes(c.secret), `${c.label}: ${redactUrls(c.text)}`);
      log.warn(c.text, { error: new Error(c.text), payload: c.text });
      assert.ok(!decodedView(lines.pop() ?? '').includes(c.secret), c.label);
    }
  });

  it('deep nesting (more backslashes than the patterns follow) is still caught, through the decoded view', () => {
    const secret = 'DeepNestedSignature0123456789';
    for (const encode of [ENCODINGS.plain, ENCODINGS.escapedSlashes, ENCODINGS.unicodeSeparators]) {
      const text = nestedJson(encode(`https://files.example.com/x.pdf?sig=${secret}&page=2`), 8);
      assert.ok(decodedView(text).includes(secret));
      assert.ok(!decodedView(redactJsonSecrets(text)).includes(secret));
      assert.ok(!decodedView(redactUrlSecrets(text)).includes(secret));
    }
  });

  it('hostile texts of 1 MB (escape runs, separators, many URLs) are redacted in linear time (logs too)', () => {
    const n = 1024 * 1024;
    for (const text of [
      '\\'.repeat(n) + '=',
      '\\\\u00'.repeat(n / 8) + '=',
      '?sig=' + '\\'.repeat(n) + '=',
      '?%' + '25'.repeat(n / 2) + '=',
      '\\u0026'.repeat(n / 6) + '=',
      '&amp;'.repeat(n / 5) + '=',
      'https://' + 'a'.repeat(n) + '=',
      '?x-amz-'.repeat(n / 7) + '=',
      'u00'.repeat(n / 3) + '://=',
      'https://'.repeat(n / 8) + '?=',
    ]) {
      assert.equal(typeof redactUrls(text), 'string');
      assert.equal(typeof redactUrlSecrets(text), 'string');
      assert.equal(typeof redactJsonSecrets(JSON.stringify({ text })), 'string');
    }
  });

  it('text without secrets stays byte for byte, escaped or not', () => {
    for (const text of [
      '{"u":"https:\\/\\/files.example.com\\/x.pdf?page=2&name=a"}',
      'https\\u003a\\u002f\\u002fh.example\\u002fx.pdf\\u003fpage\\u003d2',
      'https://app.example.com/open?to=https%3A%2F%2Fh.example%2Fx.pdf%3Fpage%3D2',
      'a 100% plain note with key words = none',
    ]) {
      assert.equal(redactUrlSecrets(text), text);
      assert.equal(redactJsonSecrets(JSON.stringify({ t: text })), JSON.stringify({ t: text }));
    }
  });

  describe('the reported event: data is a JSON string with escaped slashes', () => {
    const secret = 'S1gnatureValueFromTheReport';
    const e = sampleEvent(1, { sampleUrl: 'http://unused', attachments: 0 });
    const data = `{"attachments":["https:\\/\\/host.example.com\\/x.pdf?X-Amz-Signature=${secret}"]}`;
    const text = JSON.stringify({ ...e, data });
    before(() => assert.ok(text.includes(secret)));

    it('xact_events.raw_json holds no signature', () => {
      const decoded = decodeXactEvent(text);
      if (!decoded.ok) return; // refused events never reach the table
      const row = xactEventRow(decoded.event, text, new Date());
      assert.ok(!decodedView(JSON.stringify(row)).includes(secret), String(row.raw_json));
    });

    it('free-text columns (note, description) hold no signature, escaped or not', () => {
      for (const encode of Object.values(ENCODINGS)) {
        const url = `https://files.example.com/x.pdf?sig=${secret}&page=2`;
        const event = { ...e, data: { ...(e.data as object), note: `see ${encode(url)}`, description: url } };
        const json = JSON.stringify(event);
        const decoded = decodeXactEvent(json);
        assert.ok(decoded.ok);
        const row = xactEventRow(decoded.event, json, new Date());
        assert.ok(!decodedView(String(row.note)).includes(secret), String(row.note));
        assert.ok(!decodedView(String(row.description)).includes(secret), String(row.description));
      }
    });

    it('the archive row (pipeline_dlq.input_json) and dlq view hold no signature', () => {
      const row = archiveRow({
        workflowId: 'w',
        runId: 'r',
        state: 'failed',
        kind: 'event',
        workflowType: 'xactEventWorkflow',
        traceId: e.traceId,
        domain: 'xact',
        eventType: null,
        category: 'permanent',
        stage: 'download',
        failedAt: new Date().toISOString(),
        failure: `HTTP 403 from ${data}`,
        attempts: 1,
        replays: 0,
        source: null,
        inputPath: null,
        inputJson: JSON.stringify({ event: JSON.parse(text), rawJson: text }),
        newRunId: null,
        operator: null,
        reason: null,
        recordedAt: new Date().toISOString(),
      } as unknown as Parameters<typeof archiveRow>[0]);
      assert.ok(
        !decodedView(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).includes(secret),
      );
      const shown = redactedInput({ event: JSON.parse(text), rawJson: text });
      assert.ok(!decodedView(JSON.stringify(shown)).includes(secret));
    });
  });
});
