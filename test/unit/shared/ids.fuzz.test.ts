import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toStartRequest } from '../../../src/domains/xact/start';
import { toClaimxStartRequest } from '../../../src/domains/claimx/start';
import { loadConfig } from '../../../src/config/config';
import {
  CLAIMX_DOMAIN,
  claimxWorkflowId,
  invalidMessageWorkflowId,
  XACT_DOMAIN,
  xactWorkflowId,
} from '../../../src/shared/ids';
import { traceIdOf } from '../../../src/domains/registry';
import type { KafkaSource } from '../../../src/shared/pipeline-types';
import { fuzzParams } from '../../support/fuzz';
import { messageKey, messageValue, traceId } from '../../support/fuzz-events';

/**
 * Fuzz (issue 30 Deliver 2a): workflow ids are pure functions of the record, short enough for Temporal, and the id
 * spaces (an event's trace id, an invalid message's Kafka coordinates, a claimx event id) never meet.
 * Reproduce a failure with the FUZZ_SEED and FUZZ_PATH it prints (see test/support/fuzz.ts).
 */
const config = loadConfig({});
/** Temporal's default limit on a workflow id (server setting limit.maxIDLength), in bytes. */
const TEMPORAL_MAX_ID_BYTES = 1000;

/** A Kafka topic name as Kafka allows it: up to 249 of [a-zA-Z0-9._-]. */
const topic = fc.stringMatching(/^[a-zA-Z0-9._-]{1,249}$/);
const source: fc.Arbitrary<KafkaSource> = fc.record({
  topic,
  partition: fc.nat(10_000),
  offset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  timestamp: fc.constant('1700000000000'),
});

/** A trace id: any, or one spelled like the invalid-message id of `s` (the collision of issue 30 item 6). */
const traceIdNear = (s: KafkaSource) =>
  fc.oneof(
    traceId,
    fc.constantFrom(
      `invalid-${s.topic}-${s.partition}-${s.offset}`,
      `${XACT_DOMAIN}-invalid-${s.topic}-${s.partition}-${s.offset}`,
      `${CLAIMX_DOMAIN}-invalid-${s.topic}-${s.partition}-${s.offset}`,
    ),
  );

const message = (key: Buffer | null, value: Buffer, offset: string) => ({
  key,
  value,
  offset,
  timestamp: '1700000000000',
});

describe('fuzz: workflow ids (deterministic, bounded, never shared between id spaces)', function () {
  this.timeout(300_000);

  it('the same record always asks for the same workflow id, of at most Temporal’s id length', () => {
    fc.assert(
      fc.property(messageKey, messageValue, source, (key, value, s) => {
        for (const toStart of [toStartRequest, toClaimxStartRequest]) {
          const a = toStart(config, s.topic, s.partition, message(key, value, s.offset));
          const b = toStart(
            config,
            s.topic,
            s.partition,
            message(key ? Buffer.from(key) : null, Buffer.from(value), s.offset),
          );
          assert.equal(a.workflowId, b.workflowId);
          assert.equal(a.kind, b.kind);
          const bytes = Buffer.byteLength(a.workflowId);
          assert.ok(bytes <= TEMPORAL_MAX_ID_BYTES, `workflow id of ${bytes} bytes (${a.kind})`);
        }
      }),
      fuzzParams(200, 4_000, 2),
    );
  });

  it('an event’s workflow id is never an invalid message’s, whatever its trace id (issue 30 item 6)', () => {
    fc.assert(
      fc.property(
        source.chain((s) => fc.tuple(fc.constant(s), traceIdNear(s))),
        fc.uuid(),
        ([s, trace], eventId) => {
          const invalidIds = [invalidMessageWorkflowId(s, XACT_DOMAIN), invalidMessageWorkflowId(s, CLAIMX_DOMAIN)];
          assert.ok(!invalidIds.includes(xactWorkflowId(trace)), `trace id ${JSON.stringify(trace)} collides`);
          // A claimx run's id is built from its event id, always a UUID (claimxEventId).
          assert.ok(!invalidIds.includes(claimxWorkflowId(eventId)), `event id ${eventId} collides`);
        },
      ),
      fuzzParams(500, 20_000),
    );
  });

  it('distinct trace ids never share a workflow id, and a workflow id never names another trace id', () => {
    /** A trace id and a near twin: same after non-ASCII is replaced, cut, or with a reserved prefix. */
    const twins = traceId.chain((t) =>
      fc.tuple(
        fc.constant(t),
        fc.oneof(
          traceId,
          fc.constant(t.replace(/[^\x20-\x7e]/g, '_')),
          fc.constant(t.slice(0, -1)),
          fc.constant(`${t}_`),
          fc.constantFrom(`invalid-${t}`, `~${t}`, `xact-${t}`),
        ),
      ),
    );
    fc.assert(
      fc.property(twins, source, ([a, b], s) => {
        if (a !== b)
          assert.notEqual(xactWorkflowId(a), xactWorkflowId(b), `${JSON.stringify(a)} and ${JSON.stringify(b)}`);
        assert.ok([a, null].includes(traceIdOf(xactWorkflowId(a))), `${JSON.stringify(a)} reads back as another id`);
        assert.equal(traceIdOf(invalidMessageWorkflowId(s, XACT_DOMAIN)), null);
        assert.equal(traceIdOf(invalidMessageWorkflowId(s, CLAIMX_DOMAIN)), null);
      }),
      fuzzParams(500, 20_000),
    );
  });

  it('distinct Kafka coordinates give distinct invalid-message ids (no two DLQ entries merge)', () => {
    fc.assert(
      fc.property(source, source, (a, b) => {
        const same = a.topic === b.topic && a.partition === b.partition && a.offset === b.offset;
        for (const d of [XACT_DOMAIN, CLAIMX_DOMAIN])
          assert.equal(invalidMessageWorkflowId(a, d) === invalidMessageWorkflowId(b, d), same);
      }),
      fuzzParams(500, 20_000),
    );
  });
});
