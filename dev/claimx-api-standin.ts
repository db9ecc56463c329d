import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { sampleBody, sampleContentType } from './sample-files';

/**
 * STAND-IN for the ClaimX (ClaimXperience) REST API — not the real service. It serves only the endpoints the
 * pipeline calls, with the response shapes the original system read (spec §1.2), deterministic data derived from
 * the ids asked for, and media links in ClaimX's expiring form served by itself:
 *   GET  /export/project/{id}                      {data: {project, teamMembers, companyName}}
 *   GET  /export/project/{id}/media[?mediaIds=..]  {data: [media...]} (without mediaIds: three media of the project)
 *   GET  /customTasks/assignment/{id}?full=true    the assignment with customTask and externalLinkData
 *   POST /data {reportType: VIDEO_COLLABORATION}   {data: [collaboration]}
 *   GET  /cxfileservice/get/{mediaId}?filename=..&systemDate=..&expires=..   the file; 403 once the link expired
 * Every API call needs `Authorization: Basic <token>` (401 otherwise). Tests make it fail, slow down and hand out
 * expired links through the returned handle. The real service is exercised by the opt-in live test only.
 */
export interface ClaimxApiStandin {
  /** Base URL of the API (CLAIMX_API_URL). */
  readonly url: string;
  /** The next `times` API calls whose path starts with `pathPrefix` ('' = any) answer `status`. */
  failNext(pathPrefix: string, status: number, times?: number): void;
  /** While on, every API call answers 503 (an outage). */
  outage(on: boolean): void;
  /** Delay before each API answer. */
  delay(ms: number): void;
  /** While on, media links are issued already expired (systemDate two hours ago, one hour to live). */
  expiredLinks(on: boolean): void;
  /** The next `n` file downloads answer 403 "expired" whatever their link says (a link revoked early). */
  refuseNextDownloads(n: number): void;
  /** File downloads answered so far (any status). */
  downloads(): number;
  /** API calls made so far, as "METHOD /path?query". */
  calls(): readonly string[];
  /** Most API calls that were open at the same time. */
  peakConcurrency(): number;
  close(): Promise<void>;
}

const LINK_TTL_MS = 3_600_000;

export async function startClaimxApiStandin(
  opts: { token: string; port?: number; host?: string } = { token: 'standin-token' },
): Promise<ClaimxApiStandin> {
  const failures: { prefix: string; status: number; left: number }[] = [];
  const log: string[] = [];
  let down = false;
  let delayMs = 0;
  let expired = false;
  let base = '';
  let open = 0;
  let refuse = 0;
  let downloadCount = 0;
  let peak = 0;

  const mediaItem = (projectId: string, mediaId: string) => {
    const name = `photo_${mediaId}.jpg`;
    const issued = expired ? Date.now() - 2 * LINK_TTL_MS : Date.now();
    return {
      mediaID: Number(mediaId),
      taskAssignmentID: null,
      mediaType: 'jpg',
      mediaName: name,
      mediaDescription: `Photo ${mediaId} of project ${projectId}`,
      mediaComment: null,
      latitude: 40.7128,
      longitude: -74.006,
      gpsSource: 'device',
      takenDate: '2025-12-27T14:00:00Z',
      fullDownloadLink: `${base}/cxfileservice/get/${mediaId}?filename=${name}&systemDate=${issued}&expires=${LINK_TTL_MS}`,
    };
  };

  const routes = (method: string, path: string, query: URLSearchParams, body: unknown): unknown => {
    let m = /^\/export\/project\/(\d+)$/.exec(path);
    if (m && method === 'GET') return { data: project(m[1]!) };
    m = /^\/export\/project\/(\d+)\/media$/.exec(path);
    if (m && method === 'GET') {
      const asked = (query.get('mediaIds') ?? '').split(',').filter((s) => /^\d+$/.test(s));
      const ids = asked.length > 0 ? asked : [1, 2, 3].map((i) => `${m![1]}${i}`);
      return { data: ids.map((id) => mediaItem(m![1]!, id)) };
    }
    m = /^\/customTasks\/assignment\/(\d+)$/.exec(path);
    if (m && method === 'GET') return assignment(m[1]!);
    const report = body as { reportType?: unknown; projectId?: unknown } | null;
    if (path === '/data' && method === 'POST' && report?.reportType === 'VIDEO_COLLABORATION') {
      return { data: [videoCollaboration(String(report.projectId))] };
    }
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const send = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const file = /^\/cxfileservice\/get\/(\d+)$/.exec(url.pathname);
    if (file) {
      downloadCount++;
      const issued = Number(url.searchParams.get('systemDate'));
      const ttl = Number(url.searchParams.get('expires'));
      if (refuse > 0 || !(issued + ttl > Date.now())) {
        refuse = Math.max(0, refuse - 1);
        send(403, { error: 'Forbidden: link expired' });
        return;
      }
      const name = url.searchParams.get('filename') ?? `${file[1]}.jpg`;
      const ext = name.slice(name.lastIndexOf('.') + 1);
      const bytes = 20_000;
      res.writeHead(200, { 'content-type': sampleContentType(ext), 'content-length': String(bytes) });
      Readable.from(sampleBody(url.pathname, ext, bytes)).pipe(res);
      return;
    }
    open++;
    peak = Math.max(peak, open);
    res.on('close', () => open--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      log.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
      const answer = () => {
        if (req.headers.authorization !== `Basic ${opts.token}`) return send(401, { error: 'Unauthorized' });
        if (down) return send(503, { error: 'Service Unavailable' });
        const failure = failures.find((f) => f.left > 0 && url.pathname.startsWith(f.prefix));
        if (failure) {
          failure.left--;
          return send(failure.status, { error: `stand-in failure ${failure.status}` });
        }
        let body: unknown = null;
        try {
          body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
        } catch {
          return send(400, { error: 'body is not JSON' });
        }
        const value = routes(req.method ?? 'GET', url.pathname, url.searchParams, body);
        return value === undefined ? send(404, { error: 'Not Found' }) : send(200, value);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    failNext: (prefix, status, times = 1) => void failures.push({ prefix, status, left: times }),
    outage: (on) => void (down = on),
    delay: (ms) => void (delayMs = ms),
    expiredLinks: (on) => void (expired = on),
    refuseNextDownloads: (n) => void (refuse = n),
    downloads: () => downloadCount,
    calls: () => [...log],
    peakConcurrency: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function project(id: string) {
  return {
    project: {
      projectId: Number(id),
      projectNumber: `P-${id}`,
      mfn: `MFN-${id}`,
      secondaryNumber: null,
      createdDate: '2025-12-20T09:00:00Z',
      status: 'Active',
      dateOfLoss: '2025-12-18T00:00:00Z',
      typeOfLoss: 'Wind',
      causeOfLoss: 'Storm',
      lossDescription: 'Roof damage after a storm',
      customAttribute1: null,
      customAttribute2: null,
      customAttribute3: null,
      customerInformation: {
        firstName: 'Pat',
        lastName: `Holder${id.slice(-3)}`,
        emails: [{ emailAddress: `holder.${id}@example.com`, primary: true }],
        phones: [{ phoneNumber: '555-0100', phoneCountryCode: 1 }],
      },
      address: { street1: '1 Example St', city: 'Springfield', stateProvince: 'IL', zipPostcode: '62701' },
    },
    teamMembers: [{ userName: `rep.${id}@carrier.example`, primaryContact: true, mfn: `MFN-${id}` }],
    companyName: 'Example Carrier',
  };
}

function assignment(id: string) {
  const projectId = `48${id.padStart(5, '0').slice(-5)}`;
  return {
    assignmentId: Number(id),
    taskId: 32000 + (Number(id) % 10),
    projectId: Number(projectId),
    assigneeId: 7001,
    assignorId: 7002,
    dateAssigned: '2025-12-27T10:00:00Z',
    dateCompleted: null,
    status: 'ASSIGNED',
    stpEnabled: false,
    mfn: `MFN-${projectId}`,
    customTask: {
      taskId: 32000 + (Number(id) % 10),
      compId: 501,
      name: 'Contents inventory',
      formId: 'F-1',
      formName: 'Contents',
      enabled: true,
      modifiedDate: '2025-11-01T00:00:00Z',
    },
    externalLinkData: {
      linkId: 900000 + Number(id),
      linkCode: `L${id}`,
      url: `https://portal.example.com/t/L${id}`,
      email: `holder.${projectId}@example.com`,
      firstName: 'Pat',
      lastName: 'Holder',
    },
  };
}

function videoCollaboration(projectId: string) {
  return {
    videoCollaborationId: 600000 + (Number(projectId) % 100000),
    claimId: Number(projectId),
    mfn: `MFN-${projectId}`,
    claimNumber: `C-${projectId}`,
    emailUserName: `rep.${projectId}@carrier.example`,
    claimRepFirstName: 'Rae',
    claimRepLastName: 'Presenter',
    numberOfVideos: 2,
    numberOfPhotos: 5,
    sessionCount: 1,
    totalTimeSeconds: 754.5,
    createdDate: '2025-12-27T11:00:00Z',
  };
}
