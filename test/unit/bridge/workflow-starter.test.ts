import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { ValueError } from '@temporalio/common';
import { toStartRequest } from '../../../src/domains/xact/start';
import { isTemporalUnavailable, startWorkflow, StartRejectedError } from '../../../src/bridge/workflow-starter';
import { loadConfig } from '../../../src/config/config';

/** A client whose start fails with `error` (what the SDK throws before or after its gRPC call). */
const failingClient = (error: unknown) =>
  ({
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
    workflow: { start: () => Promise.reject(error) },
  }) as unknown as Client;

const grpcError = (code: number, details: string) => Object.assign(new Error(details), { code, details, metadata: {} });

const req = toStartRequest(loadConfig({}), 't', 0, {
  key: null,
  value: Buffer.from('not json'),
  offset: '1',
  timestamp: '0',
});

describe('workflow starts (src/bridge/workflow-starter.ts): what is retried and what is a rejection', () => {
  it('an input the client cannot serialise is rejected (a DLQ entry), not Temporal unavailability', async () => {
    const err = await startWorkflow(
      failingClient(new ValueError('Unable to convert [object Object] to payload')),
      'q',
      req,
    ).catch((e: unknown) => e);
    assert.ok(err instanceof StartRejectedError, String(err));
    assert.equal(err.tooLarge, false);
    assert.match(err.message, /the input cannot be serialised: Unable to convert/);
    assert.equal(isTemporalUnavailable(err), false, 'the temporal breaker does not count it');
  });

  it('a request the server cannot decode (INTERNAL, invalid UTF-8) is rejected; other INTERNAL errors are retried', async () => {
    const undecodable = grpcError(13, 'grpc: error unmarshalling request: string field contains invalid UTF-8');
    const rejected = await startWorkflow(failingClient(undecodable), 'q', req).catch((e: unknown) => e);
    assert.ok(rejected instanceof StartRejectedError);
    const other = grpcError(13, 'internal error');
    const retried = await startWorkflow(failingClient(other), 'q', req).catch((e: unknown) => e);
    assert.equal(retried, other);
    assert.equal(isTemporalUnavailable(retried), true);
    const down = grpcError(14, 'connect ECONNREFUSED 127.0.0.1:7233');
    assert.equal(await startWorkflow(failingClient(down), 'q', req).catch((e: unknown) => e), down);
  });
});
