import assert from 'node:assert/strict';
import { bracketed, bridgeFigure } from '../../../bench/bridge-rate';

describe('bench bridge figure (bridge runs between raw starts)', () => {
  it("is the median bridge run by ratio, each one's rates in the note, the fresh server's raw starts beside it", () => {
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
    assert.match(f.note!, /median of 3 bridge runs, .*before and after it .*315\/354, 239\/334, 317\/296/);
    assert.match(f.note!, /fresh server's raw starts 352\/s: 0\.89/);
  });

  it('of two bridge runs takes the lower ratio (no average)', () => {
    const f = bridgeFigure(
      [
        { bridgePerS: 300, rawPerS: 300 },
        { bridgePerS: 200, rawPerS: 250 },
      ],
      10,
      300,
    );
    assert.equal(f.ratio, 0.8);
    assert.throws(() => bridgeFigure([], 10, 300), /no bridge run measured/);
  });

  it('compares each bridge run with the mean of the raw runs before and after it: a steady drift cancels', () => {
    // The server slows by 20 starts/s per run; the bridge is always 0.9 of the server's rate at its moment.
    const server = (k: number) => 340 - 20 * k; // run k of raw, bridge, raw, bridge, raw
    const raw = [server(0), server(2), server(4)];
    const bridge = [0.9 * server(1), 0.9 * server(3)];
    const runs = bracketed(raw, bridge);
    assert.deepEqual(
      runs.map((r) => r.rawPerS),
      [server(1), server(3)],
    );
    for (const r of runs) assert.ok(Math.abs(r.bridgePerS / r.rawPerS - 0.9) < 1e-9);
    // Against the raw run before it alone (the pairs before), the same bridge looked slower than it is.
    assert.ok(bridge[0]! / raw[0]! < 0.86);
    assert.throws(() => bracketed([300, 290], [280, 270]), /one raw run before and after each bridge run/);
  });
});
