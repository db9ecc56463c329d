import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../../../src/adapters/storage/local-store';
import { fitInput, inputBytes } from '../../../../src/bridge/claim-check';
import { bridgeDomain } from '../../../../src/bridge/domains';
import { toClaimxStartRequest } from '../../../../src/domains/claimx/start';
import { loadConfig } from '../../../../src/config/config';
import { SEARCH_ATTRIBUTES } from '../../../../src/shared/search-attributes';
import type { IngestClaimxInput } from '../../../../src/shared/pipeline-types';

const config = loadConfig({});
const message = (value: string, timestamp = '1766844311000') => ({
  key: Buffer.from('4821937'),
  value: Buffer.from(value),
  offset: '9',
  timestamp,
  attributes: 0,
  headers: {},
});

describe('claimx start requests (BRIDGE_DOMAIN=claimx)', () => {
  it('BRIDGE_DOMAIN picks the topic, the group and the decoder', () => {
    const claimx = bridgeDomain(loadConfig({ BRIDGE_DOMAIN: 'claimx' }));
    assert.deepEqual(
      [claimx.domain, claimx.topic, claimx.group],
      ['claimx', 'claimx.events.raw', 'claimx-event-ingester'],
    );
    assert.equal(claimx.toStart, toClaimxStartRequest);
    assert.equal(bridgeDomain(config).topic, 'xact.events.raw');
    assert.throws(() => loadConfig({ BRIDGE_DOMAIN: 'itel' }), /BRIDGE_DOMAIN/);
  });

  it("an event starts ingestClaimxEvent under claimx-<the original's event id>, searchable by domain and type", () => {
    const req = toClaimxStartRequest(
      config,
      'claimx.events.raw',
      2,
      message(
        JSON.stringify({
          event_type: 'PROJECT_FILE_ADDED',
          project_id: '4821937',
          ingested_at: '2025-12-27T14:05:11Z',
          media_id: '99231877',
        }),
      ),
    );
    assert.equal(req.workflowId, 'claimx-ee1a7158-6e7d-5268-a4b7-7767fa5877e1');
    assert.equal(req.workflowType, 'ingestClaimxEvent');
    assert.equal(req.searchAttributes.get(SEARCH_ATTRIBUTES.domain), 'claimx');
    assert.equal(req.searchAttributes.get(SEARCH_ATTRIBUTES.eventType), 'PROJECT_FILE_ADDED');
    assert.deepEqual((req.args[0] as IngestClaimxInput).source, {
      topic: 'claimx.events.raw',
      partition: 2,
      offset: '9',
      timestamp: '1766844311000',
    });
  });

  it('without an ingestion time the Kafka timestamp stands in (the same id on every redelivery)', () => {
    const value = JSON.stringify({ event_type: 'PROJECT_FILE_ADDED', project_id: '4821937', media_id: '99231877' });
    const a = toClaimxStartRequest(config, 't', 0, message(value, '1766844311000'));
    const b = toClaimxStartRequest(config, 't', 0, message(value, '1766844311000'));
    assert.equal(a.workflowId, 'claimx-ee1a7158-6e7d-5268-a4b7-7767fa5877e1', '2025-12-27T14:05:11Z is that timestamp');
    assert.equal(a.workflowId, b.workflowId);
  });

  it('a bad message is a claimx DLQ entry with the reason', () => {
    const req = toClaimxStartRequest(config, 'claimx.events.raw', 1, message('{"event_type": "PROJECT_CREATED"}'));
    assert.equal(req.kind, 'invalid');
    assert.equal(req.workflowId, 'claimx-invalid-claimx.events.raw-1-9');
    assert.equal(req.searchAttributes.get(SEARCH_ATTRIBUTES.domain), 'claimx');
    assert.match((req.args[0] as { reason: string }).reason, /project_id .* is not a numeric id/);
  });

  it('a claimx event too large for a workflow input leaves its raw_data out (the API is the source)', async () => {
    const store = new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), 'claimx-fit-')));
    const big = { blob: 'x'.repeat(400_000) };
    const m = message(
      JSON.stringify({
        event_type: 'PROJECT_CREATED',
        project_id: '1',
        ingested_at: '2026-01-01T00:00:00Z',
        raw_data: big,
      }),
    );
    const req = toClaimxStartRequest(config, 't', 0, m);
    const fitted = await fitInput(req, m, store, 100_000);
    assert.equal((fitted.args[0] as IngestClaimxInput).event.rawData, null);
    assert.ok(inputBytes(fitted) < 100_000);
    assert.equal(fitted.workflowId, req.workflowId);
  });

  it('a claimx event still too large without raw_data (a huge file name) becomes a DLQ entry within the bound', async () => {
    const store = new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), 'claimx-fit-')));
    // U+0001 takes 1 byte in the message and 6 in JSON (\u0001): the input is ~6x the message, twice the bound.
    const name = '\u0001'.repeat(40_000);
    const m = message(
      JSON.stringify({
        event_type: 'PROJECT_FILE_ADDED',
        project_id: '1',
        ingested_at: '2026-01-01T00:00:00Z',
        master_file_name: name,
        raw_data: { note: 'small' },
      }),
    );
    const req = toClaimxStartRequest(config, 't', 0, m);
    assert.equal(req.kind, 'event');
    assert.equal((req.args[0] as IngestClaimxInput).event.masterFileName, name);
    const fitted = await fitInput(req, m, store, 100_000);
    assert.ok(inputBytes(fitted) <= 100_000, `${inputBytes(fitted)} bytes`);
    assert.equal(fitted.kind, 'invalid');
    assert.equal(fitted.domain, 'claimx');
    const input = fitted.args[0] as { reason: string; storedAt?: string };
    assert.match(input.reason, /too large for a workflow input even without its raw_data/);
    assert.deepEqual(await store.get(input.storedAt ?? ''), m.value, 'the whole message is stored');
  });
});
