import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { LocalObjectStore } from '../../../src/adapters/storage/local-store';
import { fitInput } from '../../../src/bridge/claim-check';
import { claimCheckOf, refusedInput } from '../../../src/bridge/refused-start';
import type { StartRequest } from '../../../src/domains/start-request';
import { toStartRequest } from '../../../src/domains/xact/start';
import { loadConfig } from '../../../src/config/config';
import type { InvalidMessageInput } from '../../../src/shared/pipeline-types';

const config = loadConfig({});
const LIMIT = config.bridgeMaxInputBytes;

function message(value: string, offset = '9') {
  return { key: Buffer.from('k'), value: Buffer.from(value), offset, timestamp: '1700000000000' };
}

/** A valid event of about `bytes` bytes (under BRIDGE_MAX_INPUT_BYTES, so it is sent inline). */
function event(bytes: number): string {
  return JSON.stringify({
    type: 'verisk.claims.property.xn.documentsReceived',
    utcDateTime: '2026-01-02T03:04:05Z',
    traceId: 'trace-refused',
    data: { assignmentId: 'A1', attachments: ['https://h.example/a.pdf'], notes: 'n'.repeat(bytes) },
  });
}

describe('a start Temporal refuses for its input (src/bridge/refused-start.ts)', () => {
  let dir: string;
  let store: LocalObjectStore;
  let serialized: unknown[];
  const toPayload = defaultPayloadConverter.toPayload.bind(defaultPayloadConverter);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refused-'));
    store = new LocalObjectStore(dir);
    serialized = [];
    defaultPayloadConverter.toPayload = (value) => {
      serialized.push(value);
      return toPayload(value);
    };
  });
  afterEach(() => {
    defaultPayloadConverter.toPayload = toPayload;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends an event refused as too large as a claim check, its size measured once (before the start)', async () => {
    const m = message(event(60_000));
    const req = await fitInput(toStartRequest(config, 't', 0, m), m, store, LIMIT);
    assert.equal(claimCheckOf(req), undefined, 'it fitted: sent inline');
    const smaller = await refusedInput(req, m, store, { message: 'blob size exceeds limit', tooLarge: true }, LIMIT);
    assert.equal(smaller.kind, 'event');
    assert.equal(claimCheckOf(smaller)?.bytes, m.value.length, 'the message is stored, the run gets a reference');
    const measured = serialized.filter((v) => v === req.args[0]).length;
    assert.equal(measured, 1, 'the size check and the answer to the refusal share one measurement');
  });

  it('sends anything else refused as the DLQ entry of the message, an invalid one refused again with its payload stored', async () => {
    const m = message(event(10));
    const req = toStartRequest(config, 't', 0, m);
    const entry = await refusedInput(req, m, store, { message: 'bad search attribute', tooLarge: false }, LIMIT);
    assert.equal(entry.kind, 'invalid');
    const input = entry.args[0] as InvalidMessageInput;
    assert.equal(input.reason, 'Temporal rejected the start: bad search attribute');
    assert.equal(input.storedAt, undefined, 'small: kept inline');

    const again = await refusedInput(entry, m, store, { message: 'still refused', tooLarge: false }, LIMIT);
    assert.equal(again.kind, 'invalid');
    assert.ok((again.args[0] as InvalidMessageInput).storedAt, 'the payload is stored');
  });

  it('a claim-checked event refused again becomes a DLQ entry, not a second claim check', async () => {
    const m = message(event(400_000));
    const req: StartRequest = await fitInput(toStartRequest(config, 't', 0, m), m, store, LIMIT);
    assert.ok(claimCheckOf(req));
    const entry = await refusedInput(req, m, store, { message: 'too large', tooLarge: true }, LIMIT);
    assert.equal(entry.kind, 'invalid');
  });
});
