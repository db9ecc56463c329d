import assert from 'node:assert/strict';
import { waitAtMost, within } from '../../../src/shared/bounded';

const never = new Promise<string>(() => undefined);

/** within (src/shared/bounded.ts): a promise's outcome, or a fallback once its time is up. */
describe('within', () => {
  it("gives the work's value, or passes its rejection on, when it settles in time", async () => {
    assert.equal(await within(Promise.resolve('done'), 1_000, () => 'late'), 'done');
    await assert.rejects(
      within(Promise.reject(new Error('broke')), 1_000, () => 'late'),
      /broke/,
    );
  });

  it("gives late()'s value, or rejects with what late() throws, when the work has not settled", async () => {
    assert.equal(await within(never, 5, () => 'late'), 'late');
    await assert.rejects(
      within(never, 5, () => {
        throw new Error('timed out');
      }),
      /timed out/,
    );
  });

  it('waitAtMost ignores the outcome and returns by the deadline', async () => {
    await waitAtMost(Promise.reject(new Error('ignored')), 1_000);
    await waitAtMost(never, 5);
  });
});
