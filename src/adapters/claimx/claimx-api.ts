/**
 * The ClaimX (ClaimXperience) REST API, the calls the claimx handlers make (spec §1.2): project, project media,
 * custom task assignment, video collaboration report. Basic token auth, a per-request timeout, at most
 * `maxConcurrent` requests in flight; no retries here (Temporal retries the activity). Every failure is a
 * ClaimxApiError with the original's category: 401 auth, 403/404/other 4xx permanent, 429/5xx/timeouts/connection
 * errors transient.
 */
import { Slots } from '../../shared/slots';

export type ClaimxApiErrorCategory = 'auth' | 'permanent' | 'transient';

export class ClaimxApiError extends Error {
  constructor(
    message: string,
    readonly category: ClaimxApiErrorCategory,
    /** HTTP status; null for timeouts, connection errors and unreadable answers. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ClaimxApiError';
  }

  get retryable(): boolean {
    return this.category === 'transient';
  }
}

export function categoryOfStatus(status: number): ClaimxApiErrorCategory {
  if (status === 401) return 'auth';
  if (status === 429 || status >= 500) return 'transient';
  return status >= 400 ? 'permanent' : 'transient';
}

export interface ClaimxApiOptions {
  /** e.g. https://www.claimxperience.com/service/cxedirest */
  readonly baseUrl: string;
  /** The Basic credential, sent as `Authorization: Basic <token>`. */
  readonly token: string;
  readonly timeoutMs: number;
  readonly maxConcurrent: number;
  /** `senderUsername` of the video collaboration report. */
  readonly senderUsername: string;
  /** Told of every request: the path as a template (ids replaced by {id}), the HTTP status or timeout / error. */
  readonly observe?: (method: string, endpoint: string, status: string, seconds: number) => void;
}

type Json = Record<string, unknown>;

/** Media ids asked for by name up to this many; more and the whole project list is fetched (as the original). */
export const MEDIA_IDS_PER_REQUEST = 5;

export class ClaimxApiClient {
  private readonly base: string;
  /** Requests in flight at most (options.maxConcurrent). */
  private readonly slots: Slots;

  constructor(private readonly options: ClaimxApiOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.slots = new Slots(options.maxConcurrent);
  }

  /** `GET /export/project/{id}`: `{data: {project: {...}, teamMembers: [...], companyName}}`. */
  async getProject(projectId: string): Promise<Json> {
    return (await this.request('GET', `/export/project/${numeric(projectId, 'project id')}`)) as Json;
  }

  /** `GET /export/project/{id}/media[?mediaIds=a,b]`: the media items (`mediaID`, `fullDownloadLink`, ...). */
  async getProjectMedia(projectId: string, mediaIds: readonly string[] = []): Promise<Json[]> {
    const ids = mediaIds.map((m) => numeric(m, 'media id'));
    const query = ids.length > 0 && ids.length <= MEDIA_IDS_PER_REQUEST ? `?mediaIds=${ids.join(',')}` : '';
    const answer = await this.request('GET', `/export/project/${numeric(projectId, 'project id')}/media${query}`);
    return listOf(answer, 'media');
  }

  /** `GET /customTasks/assignment/{id}?full=true`: the assignment with its `customTask` and `externalLinkData`. */
  async getCustomTask(assignmentId: string): Promise<Json> {
    const id = numeric(assignmentId, 'assignment id');
    return (await this.request('GET', `/customTasks/assignment/${id}?full=true`)) as Json;
  }

  /** `POST /data` with reportType VIDEO_COLLABORATION for one project. */
  async getVideoCollaboration(projectId: string): Promise<Json> {
    return (await this.request('POST', '/data', {
      reportType: 'VIDEO_COLLABORATION',
      projectId: Number(numeric(projectId, 'project id')),
      senderUsername: this.options.senderUsername,
    })) as Json;
  }

  private async request(method: 'GET' | 'POST', path: string, body?: Json): Promise<unknown> {
    await this.slots.acquire();
    const where = `${method} ${path.split('?')[0]}`;
    const endpoint = path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/{id}'); // bounded label values
    const t0 = performance.now();
    let status = 'error';
    try {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            authorization: `Basic ${this.options.token}`,
            accept: 'application/json',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        status = timedOut ? 'timeout' : 'error';
        const why = timedOut ? `no answer within ${this.options.timeoutMs} ms` : `connection failed: ${causeOf(err)}`;
        throw new ClaimxApiError(`ClaimX API ${where}: ${why}`, 'transient', null);
      }
      status = String(res.status);
      const text = await res.text().catch(() => '');
      if (res.status !== 200) {
        const category = categoryOfStatus(res.status);
        throw new ClaimxApiError(`ClaimX API ${where}: HTTP ${res.status} (${category})`, category, res.status);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ClaimxApiError(`ClaimX API ${where}: the answer is not JSON`, 'transient', res.status);
      }
    } finally {
      this.slots.release();
      this.options.observe?.(method, endpoint, status, (performance.now() - t0) / 1000);
    }
  }
}

/** Ids go into paths and the API takes integers: anything else is refused before a request is made. */
function numeric(id: string, what: string): string {
  if (!/^\d+$/.test(id)) throw new ClaimxApiError(`${what} ${JSON.stringify(id)} is not numeric`, 'permanent', null);
  return id;
}

/** The API answers a list, or an object holding it under `data` or `key`, or one object. */
function listOf(answer: unknown, key: string): Json[] {
  if (Array.isArray(answer)) return answer as Json[];
  if (answer && typeof answer === 'object') {
    const o = answer as Json;
    const inner = o.data ?? o[key];
    if (Array.isArray(inner)) return inner as Json[];
    return [o];
  }
  return [];
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
