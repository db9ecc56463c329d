import assert from 'node:assert/strict';
import { Kafka } from 'kafkajs';
import { internalClusterFactory } from '../../../../src/adapters/kafka/stale-member';

describe('stale group member eviction: the kafkajs internals it relies on', () => {
  it("finds kafkajs's cluster factory, and its cluster has the calls the evictor makes", () => {
    const create = internalClusterFactory(new Kafka({ brokers: ['127.0.0.1:1'] }));
    assert.ok(create, 'kafkajs moved its private cluster factory: update src/adapters/kafka/stale-member.ts');
    const cluster = create() as unknown as Record<string, unknown>;
    for (const call of ['connect', 'disconnect', 'refreshMetadata', 'findGroupCoordinator']) {
      assert.equal(typeof cluster[call], 'function', call);
    }
  });

  it('says undefined for an object without the factory', () => {
    assert.equal(internalClusterFactory({} as Kafka), undefined);
  });
});
