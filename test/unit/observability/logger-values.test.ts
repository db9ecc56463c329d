import assert from 'node:assert/strict';
import { createLogger, type LogFormat } from '../../../src/observability/logger';

const SIGNED = 'https://files.example.com/A1/estimate.pdf?X-Amz-Signature=abc123secret&sig=Sig0SECRET';

function logOnce(format: LogFormat, call: (log: ReturnType<typeof createLogger>) => void): string {
  const lines: string[] = [];
  call(createLogger('worker', { format, write: (l) => lines.push(l) }));
  assert.equal(lines.length, 1, format);
  assert.doesNotMatch(lines[0]!, /abc123secret|Sig0SECRET/, format);
  return lines[0]!;
}

interface LoggedError {
  name: string;
  message: string;
  stack: string;
  code?: string;
  cause?: LoggedError | string;
}

describe('logged values: errors, causes, cycles', () => {
  it('an error is logged with its stack and its cause chain, every text in it redacted', () => {
    const root = Object.assign(new RangeError(`socket closed by ${SIGNED}`), { code: 'ECONNRESET' });
    const inner = new TypeError('fetch failed', { cause: root });
    const outer = new Error(`download of ${SIGNED} failed`, { cause: inner });
    const record = JSON.parse(logOnce('json', (log) => log.error('attachment failed', { error: outer }))) as {
      error: LoggedError;
    };
    const { error } = record;
    assert.equal(error.name, 'Error');
    assert.match(error.message, /^download of https:\/\/files\.example\.com\/A1\/estimate\.pdf\?<redacted> failed$/);
    assert.match(error.stack, /^Error: download of [^\n]*\n\s+at /, 'the stack, from its first frame');
    assert.match(error.stack, /logger-values\.test\.ts/, 'the stack names where the error was made');
    const cause = error.cause as LoggedError;
    assert.equal(cause.name, 'TypeError');
    assert.equal(cause.message, 'fetch failed');
    assert.match(cause.stack, /^TypeError: fetch failed\n\s+at /);
    const rootCause = cause.cause as LoggedError;
    assert.equal(rootCause.name, 'RangeError');
    assert.equal(rootCause.code, 'ECONNRESET');
    assert.match(rootCause.message, /\?<redacted>$/);
  });

  it('the readable console line names the cause chain', () => {
    const err = new Error('write failed', { cause: new Error('disk full') });
    const line = logOnce('console', (log) => log.error('commit failed', { error: err }));
    assert.match(line, /commit failed error="Error: write failed; cause: Error: disk full"$/);
  });

  it('only the name, message, stack, code and cause of an error are logged, not what else it carries', () => {
    const err = Object.assign(new Error('HTTP 401'), {
      request: { headers: { authorization: 'Bearer TopSecretToken0' } },
      body: { email: 'someone@example.com' },
    });
    const line = logOnce('json', (log) => log.warn('call failed', { err }));
    assert.doesNotMatch(line, /TopSecretToken0|someone@example\.com/);
    assert.deepEqual(Object.keys((JSON.parse(line) as { err: object }).err).sort(), ['message', 'name', 'stack']);
  });

  it('a cause chain that loops back, or a value that is not an error, is logged without throwing', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const record = JSON.parse(logOnce('json', (log) => log.error('loop', { error: a }))) as { error: LoggedError };
    assert.equal((record.error.cause as LoggedError).message, 'b');
    assert.equal((record.error.cause as LoggedError).cause, '[Circular]');
    const odd = JSON.parse(
      logOnce('json', (log) => log.error('odd', { error: new Error('x', { cause: { status: 503, url: SIGNED } }) })),
    ) as { error: { cause: unknown } };
    assert.deepEqual(odd.error.cause, { status: 503, url: 'https://files.example.com/A1/estimate.pdf?<redacted>' });
    const carrying = new Error('refused', {
      cause: { status: 401, headers: { authorization: 'Bearer s3cr3t' }, body: ['card 4111'] },
    });
    const line = logOnce('json', (log) => log.error('refused', { error: carrying }));
    assert.doesNotMatch(line, /s3cr3t|4111/, 'what a cause nests (headers, a body) is not logged');
    assert.deepEqual((JSON.parse(line) as { error: { cause: unknown } }).error.cause, {
      status: 401,
      headers: '[object]',
      body: '[object]',
    });
  });

  for (const format of ['json', 'console'] as const) {
    it(`a field that contains itself does not throw and is logged readably (${format})`, () => {
      const attempt: Record<string, unknown> = { attachment: 'estimate.pdf', url: SIGNED };
      attempt.self = attempt;
      attempt.list = [1, attempt];
      const line = logOnce(format, (log) => log.warn('retrying', { attempt, shared: [attempt, attempt] }));
      assert.match(line, /retrying/);
      assert.match(line, /estimate\.pdf/);
      assert.match(line, /\[Circular\]/);
      if (format === 'json') {
        const record = JSON.parse(line) as { attempt: Record<string, unknown>; shared: unknown[] };
        assert.equal(record.attempt.attachment, 'estimate.pdf');
        assert.equal(record.attempt.self, '[Circular]');
        assert.deepEqual(record.attempt.list, [1, '[Circular]']);
        assert.equal((record.shared[1] as Record<string, unknown>).attachment, 'estimate.pdf', 'a repeat is no loop');
      }
    });
  }

  it('fields given to a child logger are redacted too, and a bigint is written as its digits', () => {
    const line = logOnce('json', (log) => log.child({ source: SIGNED }).info('started', { offset: 2n ** 64n }));
    const record = JSON.parse(line) as { source: string; offset: string };
    assert.equal(record.source, 'https://files.example.com/A1/estimate.pdf?<redacted>');
    assert.equal(record.offset, '18446744073709551616');
  });
});
