import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TokenCredential } from '@azure/core-auth';
import { ContainerClient, StorageSharedKeyCredential as BlobSharedKey } from '@azure/storage-blob';
import {
  type DataLakeFileSystemClient,
  DataLakeServiceClient,
  StorageSharedKeyCredential as DfsSharedKey,
} from '@azure/storage-file-datalake';
import type { ObjectStore, StoredObject } from './object-store';

export interface OneLakeStoreOptions {
  /** DFS endpoint, e.g. https://onelake.dfs.fabric.microsoft.com or https://<account>.dfs.core.windows.net. */
  readonly dfsUrl: string;
  /** Blob endpoint of the same account; derived from dfsUrl (.dfs. → .blob.) when absent. */
  readonly blobUrl?: string;
  /** OneLake workspace (ADLS Gen2: container / file system). */
  readonly workspace: string;
  /** Folder inside the workspace that is the lakehouse root, e.g. `Claims.Lakehouse`; may be empty. */
  readonly lakehouse: string;
  readonly credential: TokenCredential | { accountName: string; accountKey: string };
}

/** Bytes per append request of a streamed upload, and appends in flight: memory per transfer ≈ 2 × 4 MiB. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const APPENDS_IN_FLIGHT = 2;
/** Staging files share this prefix with the local store's, so listings skip them on both backends. */
const STAGING_PREFIX = '.tmp-';

/**
 * OneLake / ADLS Gen2 through the DFS API (`@azure/storage-file-datalake`), plus one Blob API call where DFS has no
 * single-request equivalent: put-if-absent is a Put Blob with `If-None-Match: *`, so a Delta commit file appears
 * whole or not at all (DFS create + append + flush would expose an empty file in between).
 *
 * `put` writes a staging file next to the target (create, appends, flush) and renames it over the target, so
 * readers see either the old object or the whole new one. Never calls file-system create: OneLake workspaces exist.
 */
export class OneLakeStore implements ObjectStore {
  readonly location: string;
  private readonly fs: DataLakeFileSystemClient;
  private readonly container: ContainerClient;
  private readonly root: string;
  private readonly workspace: string;

  constructor(options: OneLakeStoreOptions) {
    const dfsUrl = options.dfsUrl.replace(/\/+$/, '');
    const blobUrl = (options.blobUrl || dfsUrl.replace('.dfs.', '.blob.')).replace(/\/+$/, '');
    this.workspace = options.workspace;
    this.root = options.lakehouse.replace(/^\/+|\/+$/g, '');
    this.location = `${dfsUrl}/${options.workspace}${this.root ? `/${this.root}` : ''}`;
    const cred = options.credential;
    if ('accountKey' in cred) {
      this.fs = new DataLakeServiceClient(
        dfsUrl,
        new DfsSharedKey(cred.accountName, cred.accountKey),
      ).getFileSystemClient(options.workspace);
      this.container = new ContainerClient(
        `${blobUrl}/${options.workspace}`,
        new BlobSharedKey(cred.accountName, cred.accountKey),
      );
    } else {
      this.fs = new DataLakeServiceClient(dfsUrl, cred).getFileSystemClient(options.workspace);
      this.container = new ContainerClient(`${blobUrl}/${options.workspace}`, cred);
    }
  }

  private full(p: string): string {
    const parts = p.split('/').filter((s) => s !== '');
    if (parts.some((s) => s === '.' || s === '..')) throw new Error(`path escapes the store root: ${p}`);
    return [this.root, ...parts].filter((s) => s !== '').join('/');
  }

  async get(p: string): Promise<Buffer | undefined> {
    try {
      return await this.fs.getFileClient(this.full(p)).readToBuffer();
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async put(p: string, data: Uint8Array | Readable): Promise<number> {
    const target = this.full(p);
    const slash = target.lastIndexOf('/');
    const staging = this.fs.getFileClient(`${target.slice(0, slash + 1)}${STAGING_PREFIX}${randomUUID()}`);
    let size = 0;
    try {
      if (data instanceof Readable) {
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            done(null, chunk);
          },
        });
        await Promise.all([
          pipeline(data, counter),
          staging.uploadStream(counter, { chunkSize: CHUNK_BYTES, maxConcurrency: APPENDS_IN_FLIGHT }),
        ]);
      } else {
        size = data.byteLength;
        await staging.upload(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
          chunkSize: CHUNK_BYTES,
        });
      }
      await staging.move(this.workspace, target);
      return size;
    } catch (err) {
      if (data instanceof Readable) data.destroy();
      await staging.deleteIfExists().catch(() => undefined);
      throw err;
    }
  }

  async putIfAbsent(p: string, data: Uint8Array): Promise<boolean> {
    try {
      await this.container
        .getBlockBlobClient(this.full(p))
        .upload(data, data.byteLength, { conditions: { ifNoneMatch: '*' } });
      return true;
    } catch (err) {
      // 409 BlobAlreadyExists; some endpoints answer a failed If-None-Match with 412.
      if (statusOf(err) === 409 || statusOf(err) === 412) return false;
      throw err;
    }
  }

  async list(dir: string): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of this.fs.listPaths({ path: this.full(dir), recursive: false })) {
        if (entry.isDirectory || !entry.name) continue;
        const name = entry.name.slice(entry.name.lastIndexOf('/') + 1);
        if (!name.startsWith(STAGING_PREFIX)) names.push(name);
      }
    } catch (err) {
      if (statusOf(err) === 404) return [];
      throw err;
    }
    return names;
  }

  async listTree(dir: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const base = this.full('');
    try {
      for await (const entry of this.fs.listPaths({ path: this.full(dir), recursive: true })) {
        if (entry.isDirectory || !entry.name) continue;
        const name = entry.name.slice(entry.name.lastIndexOf('/') + 1);
        if (name.startsWith(STAGING_PREFIX)) continue;
        const path = base && entry.name.startsWith(`${base}/`) ? entry.name.slice(base.length + 1) : entry.name;
        out.push({ path, modifiedMs: entry.lastModified?.getTime() ?? Date.now() });
      }
    } catch (err) {
      if (statusOf(err) === 404) return [];
      throw err;
    }
    return out;
  }

  async delete(p: string): Promise<void> {
    try {
      await this.fs.getFileClient(this.full(p)).deleteIfExists();
    } catch (err) {
      // Blob-flavoured endpoints answer BlobNotFound, which deleteIfExists does not recognise.
      if (statusOf(err) !== 404) throw err;
    }
  }
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err
    ? (err as { statusCode?: number }).statusCode
    : undefined;
}
