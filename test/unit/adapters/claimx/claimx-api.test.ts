import assert from 'node:assert/strict';
import { ClaimxApiClient, ClaimxApiError, type ClaimxApiOptions } from '../../../../src/adapters/claimx/claimx-api';
import { type ClaimxApiStandin, startClaimxApiStandin } from '../../../../dev/claimx-api-standin';

const TOKEN = 'c3RhbmRpbjpzZWNyZXQ=';

describe('ClaimX API client (against the local ClaimX API stand-in)', () => {
  let api: ClaimxApiStandin;
  const client = (o: Partial<ClaimxApiOptions> = {}) =>
    new ClaimxApiClient({
      baseUrl: `${api.url}/`,
      token: TOKEN,
      timeoutMs: 2_000,
      maxConcurrent: 20,
      senderUsername: 'pipeline@example.com',
      ...o,
    });
  const failure = async (p: Promise<unknown>): Promise<ClaimxApiError> => {
    try {
      await p;
    } catch (err) {
      assert.ok(err instanceof ClaimxApiError, String(err));
      return err;
    }
    throw new Error('expected a ClaimxApiError');
  };

  beforeEach(async () => {
    api = await startClaimxApiStandin({ token: TOKEN });
  });
  afterEach(() => api.close());

  it('reads a project, its media (by id), a task assignment and a video collaboration report', async () => {
    const c = client();
    const project = (await c.getProject('4821937')) as { data: { project: { projectId: number } } };
    assert.equal(project.data.project.projectId, 4821937);
    const media = await c.getProjectMedia('4821937', ['99231877']);
    assert.deepEqual(
      media.map((m) => m.mediaID),
      [99231877],
    );
    assert.match(
      String(media[0]!.fullDownloadLink),
      /\/cxfileservice\/get\/99231877\?filename=photo_99231877\.jpg&systemDate=\d+&expires=3600000$/,
    );
    const task = await c.getCustomTask('77');
    assert.equal(task.assignmentId, 77);
    const video = (await c.getVideoCollaboration('4821937')) as { data: { claimId: number }[] };
    assert.equal(video.data[0]!.claimId, 4821937);
    assert.deepEqual(api.calls(), [
      'GET /export/project/4821937',
      'GET /export/project/4821937/media?mediaIds=99231877',
      'GET /customTasks/assignment/77?full=true',
      'POST /data',
    ]);
  });

  it('asks for up to five media by id, and for the whole list beyond', async () => {
    await client().getProjectMedia('12', ['1', '2', '3', '4', '5']);
    await client().getProjectMedia('12', ['1', '2', '3', '4', '5', '6']);
    assert.deepEqual(api.calls(), ['GET /export/project/12/media?mediaIds=1,2,3,4,5', 'GET /export/project/12/media']);
  });

  it("maps failures to the original's categories: 401 auth; 403, 404, 400 permanent; 429, 5xx transient", async () => {
    const wrong = await failure(client({ token: 'wrong' }).getProject('1'));
    assert.deepEqual([wrong.category, wrong.status, wrong.retryable], ['auth', 401, false]);
    for (const [status, category] of [
      [403, 'permanent'],
      [404, 'permanent'],
      [400, 'permanent'],
      [429, 'transient'],
      [500, 'transient'],
      [503, 'transient'],
    ] as const) {
      api.failNext('/export/project/', status);
      const e = await failure(client().getProject('1'));
      assert.deepEqual([e.category, e.status], [category, status], String(status));
      assert.match(e.message, new RegExp(`^ClaimX API GET /export/project/1: HTTP ${status} \\(${category}\\)$`));
    }
    api.outage(true);
    assert.equal((await failure(client().getProject('1'))).category, 'transient');
  });

  it('a slow answer times out and a refused connection fails, both transient', async () => {
    api.delay(500);
    const slow = await failure(client({ timeoutMs: 50 }).getProject('1'));
    assert.deepEqual([slow.category, slow.status], ['transient', null]);
    assert.match(slow.message, /no answer within 50 ms/);
    await api.close(); // the client still points at its port
    const refused = await failure(client().getProject('1'));
    assert.match(refused.message, /connection failed: ECONNREFUSED/);
    api = await startClaimxApiStandin({ token: TOKEN });
  });

  it('keeps at most maxConcurrent requests open', async () => {
    api.delay(50);
    const c = client({ maxConcurrent: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => c.getProject(String(i + 1))));
    assert.equal(api.peakConcurrency(), 3);
    assert.equal(api.calls().length, 12);
  });

  it('tells each request to `observe` with the path as a template (bounded label values) and the status', async () => {
    const seen: string[] = [];
    const c = client({ observe: (method, endpoint, status) => seen.push(`${method} ${endpoint} ${status}`) });
    await c.getProjectMedia('4821937', ['1', '2']);
    api.failNext('/customTasks/', 404);
    await c.getCustomTask('77').catch(() => undefined);
    api.delay(200);
    await client({ timeoutMs: 20, observe: (m, e, s) => seen.push(`${m} ${e} ${s}`) })
      .getProject('5')
      .catch(() => undefined);
    assert.deepEqual(seen, [
      'GET /export/project/{id}/media 200',
      'GET /customTasks/assignment/{id} 404',
      'GET /export/project/{id} timeout',
    ]);
  });

  it('refuses a non-numeric id before any request', async () => {
    const e = await failure(client().getProject('12; DROP'));
    assert.equal(e.category, 'permanent');
    assert.deepEqual(api.calls(), []);
  });

  it('media links expire: the file answers 403 once the link is past systemDate + expires', async () => {
    api.expiredLinks(true);
    const [old] = await client().getProjectMedia('12', ['5']);
    assert.equal((await fetch(String(old!.fullDownloadLink))).status, 403);
    api.expiredLinks(false);
    const [fresh] = await client().getProjectMedia('12', ['5']);
    const res = await fetch(String(fresh!.fullDownloadLink));
    assert.equal(res.status, 200);
    assert.equal((await res.arrayBuffer()).byteLength, 20_000);
  });
});
