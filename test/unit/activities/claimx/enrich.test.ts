import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeltaTable, readTable } from '@kafka-pipeline/delta-lake';
import { ClaimxApiClient, ClaimxApiError } from '../../../../src/adapters/claimx/claimx-api';
import { LocalObjectStore } from '../../../../src/adapters/storage/local-store';
import { ClaimxEnrichError, enrichClaimxEvent, type EnrichDeps } from '../../../../src/activities/claimx/enrich';
import { CLAIMX_ENTITY_TABLES, type ClaimxEntity } from '../../../../src/domains/claimx/tables';
import { decodeClaimxEvent } from '../../../../src/shared/claimx-event';
import { type ClaimxApiStandin, startClaimxApiStandin } from '../../../../dev/claimx-api-standin';

describe('claimx enrichment (stand-in API, local lakehouse)', () => {
  let api: ClaimxApiStandin;
  let deps: EnrichDeps;
  let store: LocalObjectStore;
  const event = (fields: Record<string, unknown>) => {
    const r = decodeClaimxEvent(
      JSON.stringify({ project_id: '4821937', ingested_at: '2026-12-04T07:00:00Z', ...fields }),
    );
    assert.ok(r.ok);
    return r.event;
  };
  const rowsOf = (entity: ClaimxEntity) => {
    const def = CLAIMX_ENTITY_TABLES[entity];
    return readTable(store, `Tables/${def.name}`, def);
  };

  beforeEach(async () => {
    api = await startClaimxApiStandin({ token: 't' });
    store = new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), 'claimx-enrich-')));
    const opened = new Map<ClaimxEntity, Promise<DeltaTable>>();
    deps = {
      api: new ClaimxApiClient({
        baseUrl: api.url,
        token: 't',
        timeoutMs: 2000,
        maxConcurrent: 4,
        senderUsername: 's',
      }),
      store,
      table: (entity) => {
        const def = CLAIMX_ENTITY_TABLES[entity];
        if (!opened.has(entity)) opened.set(entity, DeltaTable.open(store, `Tables/${def.name}`, def));
        return opened.get(entity)!;
      },
    };
  });
  afterEach(() => api.close());

  it('a media event: one API call, the media row merged, the file to download with the real link', async () => {
    const r = await enrichClaimxEvent(deps, event({ event_type: 'PROJECT_FILE_ADDED', media_id: '99231877' }));
    assert.deepEqual([r.handler, r.apiCalls, r.tables.media], ['media', 1, { inserted: 1, updated: 0, unchanged: 0 }]);
    assert.equal(r.media.length, 1);
    assert.match(r.media[0]!.downloadUrl, /systemDate=\d+&expires=3600000$/, 'the link as the API gave it');
    assert.equal(r.media[0]!.fileName, 'photo_99231877.jpg');
    assert.equal((await rowsOf('media')).length, 1);
  });

  it('the same event twice changes no table; a project event fills projects and contacts', async () => {
    const created = event({ event_type: 'PROJECT_CREATED' });
    const first = await enrichClaimxEvent(deps, created);
    assert.deepEqual(first.tables.projects, { inserted: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(first.tables.contacts, { inserted: 2, updated: 0, unchanged: 0 });
    const again = await enrichClaimxEvent(deps, created);
    assert.deepEqual(again.tables.projects, { inserted: 0, updated: 0, unchanged: 1 });
    assert.deepEqual(again.tables.contacts, { inserted: 0, updated: 0, unchanged: 2 });
    assert.equal((await rowsOf('projects')).length, 1);
  });

  it('events without an API call, and event types without a handler (recorded, never an error)', async () => {
    const xa = await enrichClaimxEvent(deps, event({ event_type: 'PROJECT_AUTO_XA_LINKING_UNSUCCESSFUL' }));
    assert.deepEqual([xa.handler, xa.apiCalls], ['xaLinking', 0]);
    const invited = await enrichClaimxEvent(deps, event({ event_type: 'POLICYHOLDER_INVITED' }));
    assert.equal(invited.tables.projects?.updated, 1);
    const [project] = await rowsOf('projects');
    assert.equal(project!.xa_autolink_fail, true);
    assert.ok(project!.policyholder_invited_at !== null);
    const unknown = await enrichClaimxEvent(deps, event({ event_type: 'SOMETHING_NEW' }));
    assert.deepEqual(unknown, { handler: null, apiCalls: 0, tables: {}, media: [] });
    assert.deepEqual(api.calls(), []);
  });

  it('what the event names but the API lacks is a ClaimxEnrichError; API failures keep their category', async () => {
    api.failNext('/export/project/', 404);
    await assert.rejects(
      enrichClaimxEvent(deps, event({ event_type: 'PROJECT_CREATED' })),
      (e: unknown) => e instanceof ClaimxApiError && e.category === 'permanent',
    );
    api.outage(true);
    await assert.rejects(
      enrichClaimxEvent(deps, event({ event_type: 'CUSTOM_TASK_ASSIGNED', task_assignment_id: '5' })),
      (e: unknown) => e instanceof ClaimxApiError && e.retryable,
    );
    api.outage(false);
    await assert.rejects(enrichClaimxEvent(deps, event({ event_type: 'CUSTOM_TASK_ASSIGNED' })), ClaimxEnrichError);
  });
});
