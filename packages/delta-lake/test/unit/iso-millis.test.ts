import assert from 'node:assert/strict';
import { isoMillis } from '../../src/number-columns';

describe('isoMillis (timestamp cells given as ISO strings)', () => {
  it('gives what Date.parse gives for times written by toISOString, with and without milliseconds', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 20_000; k++) {
      const iso = new Date(
        Date.UTC(100, 0, 1) + Math.floor(next() * (Date.UTC(9999, 11, 31) - Date.UTC(100, 0, 1))),
      ).toISOString();
      assert.equal(isoMillis(iso), Date.parse(iso), iso);
      const noMs = `${iso.slice(0, 19)}Z`;
      assert.equal(isoMillis(noMs), Date.parse(noMs), noMs);
    }
  });

  it('leaves every other form and out-of-range field to Date.parse (same result, NaN included)', () => {
    const odd = [
      '2025-12-25T10:00:00.123Z',
      '2024-02-29T23:59:59.999Z',
      '2025-02-30T00:00:00.000Z', // rolled over by Date.parse
      '2025-04-31T00:00:00Z',
      '2025-12-25T24:00:00Z',
      '2025-12-25T23:60:00Z',
      '2025-12-25T23:59:60Z',
      '2025-13-01T00:00:00Z',
      '2025-00-10T00:00:00Z',
      '2025-12-00T00:00:00Z',
      '0050-06-01T00:00:00.000Z', // Date.UTC would read year 50 as 1950
      '2025-12-25T10:00:00.1Z',
      '2025-12-25T10:00:00.123456Z',
      '2025-12-25T10:00:00+01:00',
      '2025-12-25T10:00:00.000z',
      '2025-12-25 10:00:00.000Z',
      '2025/12/25T10:00:00.000Z',
      '2025-12-2xT10:00:00.000Z',
      '20a5-12-25T10:00:00Z',
      '2025-12-25',
      '',
      'not a time at all, 24 ch',
    ];
    for (const s of odd) assert.deepEqual(isoMillis(s), Date.parse(s), s);
  });
});
