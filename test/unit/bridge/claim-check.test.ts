import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../../src/adapters/storage/local-store';
import { fitInput, inputBytes } from '../../../src/bridge/claim-check';
import { toStartRequest } from '../../../src/domains/xact/start';
import { loadConfig } from '../../../src/config/config';
import type { IngestXactInput, InvalidMessageInput } from '../../../src/shared/pipeline-types';
import { loadClaimCheck } from '../../../src/activities/claim-check';

const config = loadConfig({});
const LIMIT = config.bridgeMaxInputBytes;

function message(value: string | Buffer, offset = '7') {
  return {
    key: Buffer.from('k'),
    value: Buffer.from(value),
    offset,
    timestamp: '1700000000000',
    attributes: 0,
    headers: {},
  };
}

function event(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'verisk.claims.property.xn.documentsReceived',
    utcDateTime: '2026-01-02T03:04:05Z',
    traceId: 'trace-1',
    data: { assignmentId: 'A1', attachments: ['https://h.example/a.pdf'], ...extra },
  });
}

describe('claim checks: the bridge keeps workflow inputs under BRIDGE_MAX_INPUT_BYTES', () => {
  let dir: string;
  let store: LocalObjectStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claim-'));
    store = new LocalObjectStore(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves a small event as it is and writes nothing', async () => {
    const m = message(event());
    const req = toStartRequest(config, 't', 0, m);
    assert.equal(await fitInput(req, m, store, LIMIT), req);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('stores a large event and sends a checked reference with its headline; the activity reads it back', async () => {
    const text = event({ notes: 'n'.repeat(300_000) });
    const m = message(text, '42');
    const fitted = await fitInput(toStartRequest(config, 'xact.events.raw', 3, m), m, store, LIMIT);
    const input = fitted.args[0] as IngestXactInput;
    assert.ok(inputBytes(fitted) < 4096, `input of ${inputBytes(fitted)} bytes`);
    assert.equal(input.rawJson, '');
    assert.deepEqual(input.event.data, { assignmentId: 'A1' });
    assert.deepEqual(input.claimCheck, {
      path: 'Files/claim-checks/xact.events.raw/3/42.json',
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    const loaded = await loadClaimCheck(store, input.claimCheck!);
    assert.equal(loaded.rawJson, text);
    assert.equal(loaded.event.data.notes, 'n'.repeat(300_000));
    // Another content at the path is refused, not ingested.
    await store.put(input.claimCheck!.path, Buffer.from(event({ notes: 'changed' })));
    await assert.rejects(loadClaimCheck(store, input.claimCheck!), /ClaimCheckUnreadable|holds \d+ bytes/);
  });

  it('measures escape-heavy messages exactly: 60 KB of control bytes is over the limit once escaped', async () => {
    const m = message(Buffer.alloc(60_000, 0x01)); // not JSON: a DLQ entry; each byte becomes \u0001 in JSON
    const req = toStartRequest(config, 't', 1, m);
    assert.equal(req.kind, 'invalid');
    assert.ok(inputBytes(req) > LIMIT);
    const fitted = await fitInput(req, m, store, LIMIT);
    const input = fitted.args[0] as InvalidMessageInput;
    assert.equal(input.storedAt, 'Files/quarantine/t/1/7.bin');
    assert.equal(input.payload.length, 4096);
    assert.equal(input.payloadBytes, 60_000);
    assert.deepEqual(fs.readFileSync(path.join(dir, input.storedAt)), m.value);
    assert.ok(inputBytes(fitted) <= LIMIT);
  });

  it('bounds a huge key: a clearly marked head, its size and sha256 inline, the whole key stored', async () => {
    const key = Buffer.alloc(2 * 1024 * 1024, 0x01); // 2 MB of \u0001: 12 MB once escaped in JSON
    for (const value of ['not json at all', event()]) {
      const m = { ...message(value, '11'), key };
      const req = toStartRequest(config, 'xact.events.raw', 4, m);
      const fitted = await fitInput(req, m, store, LIMIT);
      assert.ok(inputBytes(fitted) <= LIMIT, `input of ${inputBytes(fitted)} bytes`);
      if (fitted.kind === 'event') continue; // an event's input carries no key
      const input = fitted.args[0] as InvalidMessageInput;
      assert.equal(input.key, '\u0001'.repeat(256));
      assert.deepEqual(input.keyCut, {
        bytes: key.length,
        sha256: createHash('sha256').update(key).digest('hex'),
        storedAt: 'Files/quarantine/xact.events.raw/4/11.key.bin',
      });
      assert.deepEqual(fs.readFileSync(path.join(dir, input.keyCut!.storedAt!)), key);
      assert.equal(input.payload, 'not json at all', 'the small payload stays inline');
    }
    // An ordinary key stays whole and inline.
    const plain = toStartRequest(config, 't', 0, { ...message('nope'), key: Buffer.from('k'.repeat(1024)) });
    assert.equal((plain.args[0] as InvalidMessageInput).key, 'k'.repeat(1024));
    assert.equal((plain.args[0] as InvalidMessageInput).keyCut, undefined);
  });

  it('an input the converter cannot serialise is passed on for the start to reject, not thrown here', async () => {
    const m = message(event({ notes: 'n'.repeat(100_000) }));
    const req = toStartRequest(config, 't', 0, m);
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep]; // built without recursion; JSON.stringify cannot take it
    const input = req.args[0] as IngestXactInput;
    const unserialisable = { ...req, args: [{ ...input, event: { ...input.event, data: { deep } } }] } as typeof req;
    assert.throws(() => inputBytes(unserialisable), /Unable to convert/);
    assert.equal(await fitInput(unserialisable, m, store, LIMIT), unserialisable);
  });

  it('a reason quoting a huge field is clipped, so the DLQ entry fits without a rejection first', async () => {
    const text = JSON.stringify({ type: 'a.b', traceId: 't', utcDateTime: 'x'.repeat(3_000_000), data: {} });
    const m = message(text, '12');
    const fitted = await fitInput(toStartRequest(config, 't', 0, m), m, store, LIMIT);
    const input = fitted.args[0] as InvalidMessageInput;
    assert.match(input.reason, /^utcDateTime "xxx/);
    assert.ok(Buffer.byteLength(JSON.stringify(input.reason)) <= 2000);
    assert.ok(inputBytes(fitted) <= LIMIT, `input of ${inputBytes(fitted)} bytes`);
    assert.equal(input.storedAt, 'Files/quarantine/t/0/12.bin');
  });
});
