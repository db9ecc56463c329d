import assert from 'node:assert/strict';
import { parseDuration, sinceDate } from '../../../src/cli/dlq/durations';
import { dlqQuery, DlqUsageError } from '../../../src/dlq/query';
import { traceIdOf } from '../../../src/domains/registry';

describe('DLQ visibility queries', () => {
  it('always selects failed pipeline runs and ANDs each filter', () => {
    assert.equal(
      dlqQuery(),
      "ExecutionStatus = 'Failed' AND WorkflowType IN ('ingestXactEvent', 'ingestClaimxEvent', 'quarantineInvalidMessage')",
    );
    const q = dlqQuery({
      domain: 'xact',
      category: 'transient',
      stage: 'download',
      since: new Date('2026-11-27T01:00:00.000Z'),
      query: "EventType = 'documentsReceived'",
    });
    assert.match(q, / AND Domain = 'xact' AND ErrorCategory = 'transient' AND FailedStage = 'download' AND /);
    assert.match(q, /CloseTime > '2026-11-27T01:00:00.000Z' AND \(EventType = 'documentsReceived'\)$/);
  });

  it('quotes values so a filter value cannot change the query', () => {
    assert.match(dlqQuery({ domain: "x' OR 'a'='a" }), /Domain = 'x\\' OR \\'a\\'=\\'a'/);
  });

  it('refuses unknown categories and stages with the allowed values', () => {
    assert.throws(
      () => dlqQuery({ category: 'flaky' }),
      (e) => e instanceof DlqUsageError && /permanent, transient/.test(e.message),
    );
    assert.throws(() => dlqQuery({ stage: 'upload-ish' }), /decode, validate, enrich, download, upload, delta/);
  });

  it('reads durations and trace ids', () => {
    assert.deepEqual(['45s', '30m', '2h', '7d', '1.5h'].map(parseDuration), [45e3, 18e5, 72e5, 6048e5, 54e5]);
    assert.throws(() => parseDuration('2 hours'), DlqUsageError);
    assert.equal(sinceDate('1h', new Date('2026-11-27T02:00:00Z'))!.toISOString(), '2026-11-27T01:00:00.000Z');
    assert.equal(traceIdOf('xact-abc-123'), 'abc-123');
    assert.equal(traceIdOf('xact-invalid-xact.events.raw-0-17'), null);
  });
});
