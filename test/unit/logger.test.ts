import assert from 'node:assert/strict';
import { createLogger, redactUrls } from '../../src/observability/logger';

const SIGNED =
  'https://bucket.s3.us-west-2.amazonaws.com/A1/estimate.pdf?X-Amz-Date=20251227T140511Z&X-Amz-Signature=abc123';

describe('JSON logger', () => {
  it('writes one JSON object per line with level, component and fields', () => {
    const lines: string[] = [];
    const log = createLogger('bridge', { write: (l) => lines.push(l) }).child({ trace_id: 't-1' });
    log.info('started', { workflow_id: 'xact-t-1' });
    const record = JSON.parse(lines[0]);
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
    assert.doesNotMatch(lines[0], /X-Amz-Signature|abc123|X-Amz-Date/);
    assert.match(lines[0], /estimate\.pdf\?<redacted>/);
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
});
