import assert from 'node:assert/strict';
import { summarise } from '../../../soak/memory';

const MB = 2 ** 20;

describe('soak memory summary', () => {
  it('reports the slope after warm-up and over the second half, where a long run settles', () => {
    // Two hours, a sample a minute: a rise of 100 MB over the first 50 minutes, then a plateau with a sawtooth.
    const samples = Array.from({ length: 121 }, (_, i) => ({
      t: i * 60, // seconds
      bytes: (250 + Math.min(i, 50) * 2 + (i % 2 === 0 ? 5 : -5)) * MB,
    }));
    const s = summarise(samples);
    assert.ok(s.slopeMbPerHour > 20, `after the first fifth the ramp still shows: ${s.slopeMbPerHour}`);
    assert.ok(Math.abs(s.slopeSecondHalfMbPerHour) < 1, `the second half is flat: ${s.slopeSecondHalfMbPerHour}`);
    assert.equal(s.peakMb, 355);
  });
});
