import assert from 'node:assert/strict';
import fc from 'fast-check';
import { xactEventRow } from '../../../src/activities/rows';
import { redactJsonSecrets, redactSecrets, redactSecretsDeep, redactUrlSecrets } from '../../../src/shared/urls';
import { decodeXactEvent } from '../../../src/shared/xact-event';
import { fuzzParams, hostileString, textsOf } from '../../support/fuzz';
import { escapeForJson, signedUrl, urlEscaping, xactEventText } from '../../support/fuzz-events';

/**
 * Fuzz (issue 30 Deliver 2a, item 5): no value of a sensitive query parameter survives redaction, however the URL
 * is escaped or wrapped; text without one is left byte for byte.
 * Reproduce a failure with the FUZZ_SEED and FUZZ_PATH it prints (see test/support/fuzz.ts).
 */
const NOW = new Date('2026-01-01T00:00:00Z');

function assertNoSecret(output: string, secrets: readonly string[], what: string): void {
  for (const s of secrets) assert.ok(!output.includes(s), `${what} still holds ${s}: ${output.slice(0, 600)}`);
}

describe('fuzz: redaction of signed URL parameters (whatever the escaping)', function () {
  this.timeout(300_000);

  it('a signed URL alone: redactSecrets keeps none of its secret', () => {
    fc.assert(
      fc.property(signedUrl(), (u) => assertNoSecret(redactSecrets(u.url), [u.secret], 'redactSecrets')),
      fuzzParams(500, 20_000),
    );
  });

  it('free text holding a signed URL, escaped or not: redactUrlSecrets keeps none of its secret', () => {
    fc.assert(
      fc.property(hostileString(30), signedUrl(), urlEscaping, hostileString(30), (before, u, esc, after) => {
        const text = `${before} ${escapeForJson(u, esc)} ${after}`;
        assertNoSecret(redactUrlSecrets(text), [u.secret], 'redactUrlSecrets');
      }),
      fuzzParams(500, 20_000),
    );
  });

  it('an event as JSON (data an object or a JSON string, URLs escaped): redactJsonSecrets keeps no secret', () => {
    fc.assert(
      fc.property(xactEventText, (e) => {
        assertNoSecret(redactJsonSecrets(e.text), e.secrets, 'redactJsonSecrets');
        let parsed: unknown;
        try {
          parsed = JSON.parse(e.text);
        } catch {
          return;
        }
        assertNoSecret(textsOf(redactSecretsDeep(parsed)), e.secrets, 'redactSecretsDeep');
      }),
      fuzzParams(200, 5_000, 4),
    );
  });

  it('an accepted event’s table row holds no secret in any column (raw_json, attachments, ...)', () => {
    fc.assert(
      fc.property(xactEventText, (e) => {
        const decoded = decodeXactEvent(e.text);
        fc.pre(decoded.ok);
        if (!decoded.ok) return;
        const row = xactEventRow(decoded.event, e.text, NOW);
        assertNoSecret(JSON.stringify(row), e.secrets, 'xact_events row');
      }),
      fuzzParams(200, 5_000, 4),
    );
  });

  it('JSON without a sensitive parameter comes back byte for byte', () => {
    fc.assert(
      fc.property(fc.json(), (json) => assert.equal(redactJsonSecrets(json), json)),
      fuzzParams(500, 20_000),
    );
  });
});
