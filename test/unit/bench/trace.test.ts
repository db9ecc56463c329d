import assert from 'node:assert/strict';
import { buckets } from '../../../bench/trace';

describe('bench/trace.ts (BENCH_TRACE)', () => {
  it('turns running totals into starts, completions and open runs per bucket, a bucket without a poll as idle', () => {
    const run = {
      count: 10,
      trace: [
        { t: 100, started: 4, done: 0 },
        { t: 400, started: 6, done: 1 },
        { t: 1_600, started: 9, done: 5 },
        { t: 1_900, started: 10, done: 10 },
      ],
    };
    assert.deepEqual(buckets(run, 500), [
      { started: 6, done: 1, open: 5 },
      { started: 0, done: 0, open: 5 },
      { started: 0, done: 0, open: 5 },
      { started: 4, done: 9, open: 0 },
    ]);
  });
});
