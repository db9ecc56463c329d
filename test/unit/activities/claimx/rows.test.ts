import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeltaTable, mergeRows, readTable, type Row } from '@kafka-pipeline/delta-lake';
import { ClaimxApiClient } from '../../../../src/adapters/claimx/claimx-api';
import { LocalObjectStore } from '../../../../src/adapters/storage/local-store';
import { mediaRows, projectFlagRows, projectRows } from '../../../../src/activities/claimx/project-rows';
import { CLAIMX_ENTITY_TABLES, type ClaimxEntity, ENTITY_MERGE } from '../../../../src/domains/claimx/tables';
import { taskRows, videoRows } from '../../../../src/activities/claimx/task-rows';
import type { EntityRows } from '../../../../src/activities/claimx/values';
import { type ClaimxEvent, claimxHandlerOf, decodeClaimxEvent } from '../../../../src/shared/claimx-event';
import { type ClaimxApiStandin, startClaimxApiStandin } from '../../../../dev/claimx-api-standin';

const NOW = new Date('2026-12-04T08:00:00.000Z');

function event(fields: Record<string, unknown>): ClaimxEvent {
  const r = decodeClaimxEvent(
    JSON.stringify({ project_id: '4821937', ingested_at: '2026-12-04T07:59:00Z', ...fields }),
  );
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.event;
}

describe('claimx entity rows from API answers (stand-in answers, merged into the tables)', () => {
  let api: ClaimxApiStandin;
  let client: ClaimxApiClient;
  before(async () => {
    api = await startClaimxApiStandin({ token: 't' });
    client = new ClaimxApiClient({
      baseUrl: api.url,
      token: 't',
      timeoutMs: 2000,
      maxConcurrent: 4,
      senderUsername: 's',
    });
  });
  after(() => api.close());

  /** Merges every row into its table in a fresh lakehouse and reads the tables back: the rows fit the schemas. */
  async function written(all: EntityRows[]): Promise<Record<string, Row[]>> {
    const store = new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), 'claimx-rows-')));
    const out: Record<string, Row[]> = {};
    for (const [entity, def] of Object.entries(CLAIMX_ENTITY_TABLES) as [
      ClaimxEntity,
      (typeof CLAIMX_ENTITY_TABLES)[ClaimxEntity],
    ][]) {
      const rows = all.flatMap((r) => r[entity] ?? []);
      if (rows.length === 0) continue;
      const table = await DeltaTable.open(store, `Tables/${def.name}`, def);
      await mergeRows(store, table, rows, ENTITY_MERGE);
      out[entity] = await readTable(store, `Tables/${def.name}`, def);
    }
    return out;
  }

  it('routes each event type to its handler; an unknown type has none', () => {
    assert.equal(claimxHandlerOf('PROJECT_FILE_ADDED'), 'media');
    assert.equal(claimxHandlerOf('CUSTOM_TASK_COMPLETED'), 'task');
    assert.equal(claimxHandlerOf('PROJECT_AUTO_XA_LINKING_UNSUCCESSFUL'), 'xaLinking');
    assert.equal(claimxHandlerOf('SOMETHING_NEW'), null);
    assert.equal(claimxHandlerOf('toString'), null);
  });

  it('project, media, task and video answers become rows every table accepts, each with its source event', async () => {
    const created = event({ event_type: 'PROJECT_CREATED' });
    const file = event({ event_type: 'PROJECT_FILE_ADDED', media_id: '99231877' });
    const task = event({ event_type: 'CUSTOM_TASK_ASSIGNED', task_assignment_id: '77' });
    const video = event({ event_type: 'VIDEO_COLLABORATION_COMPLETED' });
    const mediaAnswer = await client.getProjectMedia('4821937', ['99231877']);
    const rows = [
      projectRows(created, await client.getProject('4821937'), NOW),
      mediaRows(file, mediaAnswer, NOW)!,
      taskRows(task, await client.getCustomTask('77'), NOW),
      videoRows(video, await client.getVideoCollaboration('4821937'), NOW),
    ];
    const tables = await written(rows);
    assert.deepEqual(
      tables.projects!.map((r) => [r.project_id, r.project_number, r.primary_email, r.event_id]),
      [['4821937', 'P-4821937', 'holder.4821937@example.com', created.eventId]],
    );
    assert.deepEqual(
      tables.contacts!.map((r) => [r.contact_type, r.contact_email]).sort(),
      [
        ['CLAIM_REP', 'rep.4821937@carrier.example'],
        ['POLICYHOLDER', 'holder.4821937@example.com'],
        ['POLICYHOLDER', 'holder.4800077@example.com'],
      ].sort(),
    );
    const media = tables.media![0]!;
    assert.equal(media.media_id, '99231877');
    assert.equal(media.file_name, 'photo_99231877.jpg');
    const link = new URL(String(mediaAnswer[0]!.fullDownloadLink));
    assert.match(String(media.full_download_link), /systemDate=redacted&expires=redacted$/, 'the link as every URL');
    assert.equal(
      media.expires_at,
      new Date(Number(link.searchParams.get('systemDate')) + Number(link.searchParams.get('expires'))).toISOString(),
    );
    assert.deepEqual(
      [tables.tasks![0]!.assignment_id, tables.taskTemplates![0]!.task_id, tables.externalLinks![0]!.link_id],
      [77n, 32007n, 900077n],
    );
    assert.equal(tables.videoCollab![0]!.claim_id, 4821937n);
    assert.equal(tables.videoCollab![0]!.claim_rep_full_name, 'Rae Presenter');
  });

  it('a media id the answer does not hold gives no row (the caller reports it)', async () => {
    const file = event({ event_type: 'PROJECT_FILE_ADDED', media_id: '5' });
    assert.equal(mediaRows(file, await client.getProjectMedia('4821937', ['6']), NOW), null);
  });

  it('signed parameters of a media link are redacted in the row, and its expiry is read from it', () => {
    const file = event({ event_type: 'PROJECT_FILE_ADDED', media_id: '7' });
    const rows = mediaRows(file, [
      {
        mediaID: 7,
        fullDownloadLink:
          'https://www.claimxperience.com/get/x?filename=a.jpg&token=SECRET123&systemDate=1735308311000&expires=3600000',
      },
    ])!;
    const row = rows.media![0]!;
    assert.doesNotMatch(String(row.full_download_link), /SECRET123/);
    assert.match(String(row.full_download_link), /filename=a\.jpg/);
    assert.equal(row.expires_at, new Date(1735308311000 + 3600000).toISOString());
  });

  it('events without an API call set only their own project columns', () => {
    const xa = projectFlagRows(event({ event_type: 'PROJECT_AUTO_XA_LINKING_UNSUCCESSFUL' }), NOW).projects![0]!;
    assert.equal(xa.xa_autolink_fail, true);
    assert.equal(xa.xa_autolink_fail_at, '2026-12-04T07:59:00+00:00');
    assert.ok(!('master_file_name' in xa), 'a column the event does not know is left out');
    const mfn = projectFlagRows(event({ event_type: 'PROJECT_MFN_ADDED', master_file_name: 'MFN-9' }), NOW)
      .projects![0]!;
    assert.deepEqual([mfn.master_file_name, 'xa_autolink_fail' in mfn], ['MFN-9', false]);
  });

  it('a project row gathers what each event knows, in any arrival order; a redelivery changes nothing', async () => {
    const answer = await client.getProject('4821937');
    const created = projectRows(
      event({ event_type: 'PROJECT_CREATED', ingested_at: '2026-12-04T07:00:00Z' }),
      answer,
      NOW,
    );
    const xa = projectFlagRows(
      event({ event_type: 'PROJECT_AUTO_XA_LINKING_UNSUCCESSFUL', ingested_at: '2026-12-04T07:30:00Z' }),
      NOW,
    );
    const mfn = projectFlagRows(
      event({ event_type: 'PROJECT_MFN_ADDED', master_file_name: 'MFN-NEW', ingested_at: '2026-12-04T07:45:00Z' }),
      NOW,
    );
    const seen: unknown[] = [];
    for (const order of [
      [created, xa, mfn],
      [mfn, xa, created],
      [xa, mfn, created, created],
    ]) {
      const store = new LocalObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), 'claimx-merge-')));
      const def = CLAIMX_ENTITY_TABLES.projects;
      const table = await DeltaTable.open(store, `Tables/${def.name}`, def);
      for (const rows of order) await mergeRows(store, table, rows.projects!, ENTITY_MERGE);
      const all = await readTable(store, `Tables/${def.name}`, def);
      assert.equal(all.length, 1);
      seen.push([
        all[0]!.project_number,
        all[0]!.master_file_name,
        all[0]!.xa_autolink_fail,
        all[0]!.customer_first_name,
      ]);
    }
    assert.deepEqual(seen, Array(3).fill(['P-4821937', 'MFN-NEW', true, 'Pat']));
  });

  it('a video report listing several collaborations gives the one of the project', () => {
    const v = event({ event_type: 'VIDEO_COLLABORATION_INVITE_SENT' });
    const rows = videoRows(v, {
      data: [
        { videoCollaborationId: 1, claimId: 1 },
        { videoCollaborationId: 2, claimId: 4821937 },
      ],
    });
    assert.equal(rows.videoCollab![0]!.video_collaboration_id, 2);
    assert.deepEqual(videoRows(v, { data: [] }).videoCollab, []);
  });
});
