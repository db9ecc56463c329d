import assert from 'node:assert/strict';
import { bridgeFigure } from '../../../bench/bridge-rate';

describe('bench bridge figure (pairs of raw starts and the bridge)', () => {
  it("is the median pair by ratio, each pair's rates in the note, the fresh server's raw starts beside it", () => {
    const f = bridgeFigure(
      [
        { bridgePerS: 315, rawPerS: 354 }, // 0.89
        { bridgePerS: 239, rawPerS: 334 }, // 0.72
        { bridgePerS: 317, rawPerS: 296 }, // 1.07
      ],
      5000,
      352,
    );
    assert.equal(f.value, 315);
    assert.deepEqual(f.baseline, { name: 'raw starts/s', value: 354 });
    assert.equal(f.ratio, 315 / 354);
    assert.match(f.note!, /median of 3 pairs .*315\/354, 239\/334, 317\/296/);
    assert.match(f.note!, /fresh server's raw starts 352\/s: 0\.89/);
  });

  it('of two pairs takes the lower ratio (no average of a drifting pair)', () => {
    const f = bridgeFigure(
      [
        { bridgePerS: 300, rawPerS: 300 },
        { bridgePerS: 200, rawPerS: 250 },
      ],
      10,
      300,
    );
    assert.equal(f.ratio, 0.8);
    assert.throws(() => bridgeFigure([], 10, 300), /no pair measured/);
  });
});
