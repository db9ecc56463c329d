import assert from 'node:assert/strict';
import { HandedPrefix } from '../../../src/bridge/handed-prefix';

describe("a batch's handed-over prefix (src/bridge/handed-prefix.ts)", () => {
  it('grows only when the first message not yet handed over is; later ones wait for it', () => {
    const p = new HandedPrefix(4);
    assert.equal(p.handedOver(1), -1, 'message 0 is not handed over: no progress');
    assert.equal(p.handedOver(2), -1);
    assert.equal(p.handedOver(0), 2, 'the prefix now ends at message 2');
    assert.equal(p.handedOver(3), 3);
  });

  it('a message that keeps failing holds the prefix however many later ones are handed over', () => {
    const p = new HandedPrefix(10);
    for (let i = 1; i < 10; i++) assert.equal(p.handedOver(i), -1);
  });
});
