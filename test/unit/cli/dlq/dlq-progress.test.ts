import assert from 'node:assert/strict';
import { progressLine } from '../../../../src/cli/dlq/dlq-format';

describe('bulk replay progress line', () => {
  it('gives count, failures, rate so far and the time left at that rate', () => {
    assert.equal(
      progressLine(10, 40, 1, 5_000),
      `[${'#'.repeat(8)}${'.'.repeat(22)}] 10/40 replayed, 1 failed · 2.0/s · ETA 15s`,
    );
    assert.match(progressLine(40, 40, 0, 20_000), /\] 40\/40 replayed · 2\.0\/s · done$/);
    assert.match(progressLine(0, 500, 0, 0), /0\/500 replayed · 0\.0\/s · ETA -$/);
    assert.match(progressLine(1, 1001, 0, 1_000), /ETA 17m$/);
  });
});
