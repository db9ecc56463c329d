import assert from 'node:assert/strict';
import { logLevel as kafkaLogLevel } from 'kafkajs';
import { createLogger, redactUrls, resolveLogFormat } from '../../../src/observability/logger';
import { kafkaLogCreator } from '../../../src/adapters/kafka/kafka-log';

const SIGNED =
  'https://bucket.s3.us-west-2.amazonaws.com/A1/estimate.pdf?X-Amz-Date=20251227T140511Z&X-Amz-Signature=abc123';

describe('JSON logger', () => {
  it('writes one JSON object per line with level, component and fields', () => {
    const lines: string[] = [];
    const log = createLogger('bridge', { write: (l) => lines.push(l) }).child({ trace_id: 't-1' });
    log.info('started', { workflow_id: 'xact-t-1' });
    const record = JSON.parse(lines[0]!);
    assert.equal(record.level, 'info');
    assert.equal(record.component, 'bridge');
    assert.equal(record.trace_id, 't-1');
    assert.equal(record.workflow_id, 'xact-t-1');
    assert.ok(!Number.isNaN(Date.parse(record.time)));
  });

  it('never writes signed URL parameters, in the message, fields, nested objects or errors', () => {
    const lines: string[] = [];
    const log = createLogger('worker', { write: (l) => lines.push(l) });
    log.error(`download failed: ${SIGNED}`, {
      url: SIGNED,
      nested: { urls: [SIGNED] },
      err: new Error(`GET ${SIGNED}`),
    });
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines[0]!, /X-Amz-Signature|abc123|X-Amz-Date/);
    assert.match(lines[0]!, /estimate\.pdf\?<redacted>/);
  });

  it('drops lines below the configured level', () => {
    const lines: string[] = [];
    const log = createLogger('worker', { level: 'warn', write: (l) => lines.push(l) });
    log.info('quiet');
    log.warn('loud');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).msg),
      ['loud'],
    );
  });

  it('leaves URLs without a query string alone', () => {
    assert.equal(
      redactUrls('see http://127.0.0.1:8233/namespaces/default'),
      'see http://127.0.0.1:8233/namespaces/default',
    );
  });

  it('logs fields nested deeper than the stack allows one call per level, without their secrets', () => {
    let deep: unknown = SIGNED;
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? { d: deep } : [deep];
    for (const format of ['json', 'console'] as const) {
      const lines: string[] = [];
      const log = createLogger('bridge', { format, write: (l) => lines.push(l) });
      log.warn('deep fields', { deep, shallow: { url: SIGNED } });
      assert.equal(lines.length, 1, format);
      assert.ok(!lines[0]!.includes('abc123'), format);
      assert.match(lines[0]!, /deep fields/);
      assert.match(lines[0]!, /nested too deep to write/);
    }
    const lines: string[] = [];
    createLogger('bridge', { write: (l) => lines.push(l) }).info('shallow', { url: SIGNED, n: [1, { k: 'v' }] });
    assert.deepEqual(JSON.parse(lines[0]!).n, [1, { k: 'v' }], 'fields that fit are written as they are');
  });
});

describe('console log format (LOG_FORMAT=console, or auto on a terminal)', () => {
  it('auto means console on a terminal and JSON otherwise; an explicit choice wins', () => {
    assert.equal(resolveLogFormat('auto', true), 'console');
    assert.equal(resolveLogFormat('auto', false), 'json');
    assert.equal(resolveLogFormat('json', true), 'json');
    assert.equal(resolveLogFormat('console', false), 'console');
  });

  it('one readable line: time, level, component, trace, message, then the useful fields; no task token, no query', () => {
    const lines: string[] = [];
    const log = createLogger('worker', { format: 'console', write: (l) => lines.push(l) });
    log.warn('Activity failed', {
      workflow_id: 'xact-t-9',
      trace_id: 't-9',
      temporal: {
        taskToken: 'CiQ2YzQ1ZGQ1Ny1iYmM0LTQ0MjQtYjBiNy0xMjM0NTY3ODkwYWISCHhhY3QtdC05',
        activityType: 'transferAttachment',
        attempt: 3,
        namespace: 'default',
        error: new Error(`HTTP 404 from ${SIGNED}`),
      },
    });
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}worker \[t-9\] Activity failed activityType=transferAttachment attempt=3 error="Error: HTTP 404 from https:\/\/bucket[^ ]*estimate\.pdf\?<redacted>"$/,
    );
    assert.doesNotMatch(lines[0]!, /CiQ2|namespace|abc123|\{/);
  });

  it('quotes values with spaces and prints arrays as JSON', () => {
    const lines: string[] = [];
    createLogger('bridge', { format: 'console', write: (l) => lines.push(l) }).info('started', {
      topic: 'xact.events.raw',
      reason: 'two words',
      partitions: [0, 1],
    });
    assert.match(lines[0]!, / INFO {2}bridge started topic=xact\.events\.raw reason="two words" partitions=\[0,1\]$/);
  });
});

describe('kafkajs log lines in the bridge log', () => {
  const levels = (entries: { level: number; error?: string }[]) => {
    const lines: string[] = [];
    const write = kafkaLogCreator(createLogger('bridge', { level: 'debug', write: (l) => lines.push(l) }))();
    for (const { level, error } of entries) {
      write({ level, log: { message: 'Response FindCoordinator(key: 10, version: 2)', ...(error ? { error } : {}) } });
    }
    return lines.map((l) => (JSON.parse(l) as { level: string }).level);
  };

  it('a coordinator not ready at start-up is debug, another retriable error warn, the rest error', () => {
    assert.deepEqual(
      levels([
        { level: kafkaLogLevel.ERROR, error: 'The group coordinator is not available' },
        { level: kafkaLogLevel.ERROR, error: 'The request timed out' },
        { level: kafkaLogLevel.ERROR, error: 'Not authorized to access group: Group authorization failed' },
        { level: kafkaLogLevel.WARN },
      ]),
      ['debug', 'warn', 'error', 'warn'],
    );
  });
});
