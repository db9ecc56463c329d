import assert from 'node:assert/strict';
import { Slots } from '../../../src/shared/slots';

describe('Slots: at most so many callers at once, first come first served (src/shared/slots.ts)', () => {
  it('the slots hand a freed slot to the longest waiting caller and never has more than its size taken', async () => {
    const w = new Slots(2);
    const got: string[] = [];
    await w.acquire();
    await w.acquire();
    const b = w.acquire().then(() => got.push('b'));
    const c = w.acquire().then(() => got.push('c'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual([got, w.inFlight()], [[], 2]);
    w.release();
    await b;
    assert.deepEqual([got, w.inFlight()], [['b'], 2], 'the slot passed on, first come first served');
    w.release();
    await c;
    w.release();
    w.release();
    assert.equal(w.inFlight(), 0);
    assert.throws(() => new Slots(0), RangeError);
  });
});
