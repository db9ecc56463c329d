import assert from 'node:assert/strict';
import { ClaimxApiClient } from '../../src/adapters/claimx/claimx-api';
import { mediaRows, projectRows } from '../../src/activities/claimx/project-rows';
import { taskRows } from '../../src/activities/claimx/task-rows';
import { decodeClaimxEvent } from '../../src/shared/claimx-event';
import { linkExpiresSoon } from '../../src/activities/claimx/media-links';

/**
 * The real ClaimX API, opt-in: runs only when CLAIMX_TEST_API_TOKEN and CLAIMX_TEST_PROJECT_ID are set (skipped
 * otherwise). Read-only: GET calls only. What the local stand-in answers is checked against the real shapes here:
 *   CLAIMX_TEST_API_TOKEN=<basic token> CLAIMX_TEST_PROJECT_ID=<id> [CLAIMX_TEST_MEDIA_ID=<id>]
 *   [CLAIMX_TEST_ASSIGNMENT_ID=<id>] [CLAIMX_TEST_API_URL=<base url>] npm test
 */
const env = process.env;

describe('ClaimX API, the real service (opt-in: CLAIMX_TEST_API_TOKEN, CLAIMX_TEST_PROJECT_ID)', function () {
  this.timeout(120_000);
  let client: ClaimxApiClient;
  const project = env.CLAIMX_TEST_PROJECT_ID ?? '';
  const event = (fields: Record<string, unknown>) => {
    const r = decodeClaimxEvent(
      JSON.stringify({ project_id: project, ingested_at: new Date().toISOString(), ...fields }),
    );
    assert.ok(r.ok, r.ok ? '' : r.reason);
    return r.event;
  };

  before(function () {
    if (!env.CLAIMX_TEST_API_TOKEN || !project) return this.skip();
    client = new ClaimxApiClient({
      baseUrl: env.CLAIMX_TEST_API_URL ?? 'https://www.claimxperience.com/service/cxedirest',
      token: env.CLAIMX_TEST_API_TOKEN,
      timeoutMs: 30_000,
      maxConcurrent: 2,
      senderUsername: env.CLAIMX_TEST_SENDER ?? 'user@example.com',
    });
  });

  it('the project answer maps to a project row with its id and at least one contact', async () => {
    const rows = projectRows(event({ event_type: 'PROJECT_CREATED' }), await client.getProject(project));
    assert.equal(rows.projects![0]!.project_id, project);
    assert.ok((rows.contacts ?? []).length >= 1, 'a policyholder or a claim rep');
  });

  it('a media answer holds the media with a download link whose expiry is readable', async function () {
    if (!env.CLAIMX_TEST_MEDIA_ID) return this.skip();
    const e = event({ event_type: 'PROJECT_FILE_ADDED', media_id: env.CLAIMX_TEST_MEDIA_ID });
    const items = await client.getProjectMedia(project, [env.CLAIMX_TEST_MEDIA_ID]);
    const rows = mediaRows(e, items);
    assert.ok(rows, `media ${env.CLAIMX_TEST_MEDIA_ID} is in the answer`);
    assert.ok(rows.media![0]!.expires_at, 'the link carries systemDate and expires');
    assert.equal(
      linkExpiresSoon(String(items.find((m) => String(m.mediaID) === e.mediaId)!.fullDownloadLink), new Date()),
      false,
    );
  });

  it('a task assignment answer maps to a task row', async function () {
    if (!env.CLAIMX_TEST_ASSIGNMENT_ID) return this.skip();
    const e = event({ event_type: 'CUSTOM_TASK_ASSIGNED', task_assignment_id: env.CLAIMX_TEST_ASSIGNMENT_ID });
    const rows = taskRows(e, await client.getCustomTask(env.CLAIMX_TEST_ASSIGNMENT_ID));
    assert.equal(String(rows.tasks![0]!.assignment_id), env.CLAIMX_TEST_ASSIGNMENT_ID);
  });
});
