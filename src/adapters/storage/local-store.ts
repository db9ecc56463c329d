import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ObjectStore, StoredObject } from './object-store';

/** The local lakehouse folder (default `./lakehouse`), laid out like a OneLake lakehouse (Files/, Tables/). */
export class LocalObjectStore implements ObjectStore {
  readonly location: string;

  constructor(private readonly root: string) {
    this.location = path.resolve(root);
  }

  private resolve(p: string): string {
    const full = path.resolve(this.location, p);
    if (full !== this.location && !full.startsWith(this.location + path.sep)) {
      throw new Error(`path escapes the store root: ${p}`);
    }
    return full;
  }

  async get(p: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.resolve(p));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async put(p: string, data: Uint8Array | Readable): Promise<number> {
    const { tmp, made } = await this.writeTemp(p, data);
    try {
      const { size } = await fs.stat(tmp);
      await fs.rename(tmp, this.resolve(p));
      await syncEntries(path.dirname(tmp), made);
      return size;
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  async putIfAbsent(p: string, data: Uint8Array): Promise<boolean> {
    // link(2) fails with EEXIST when the target exists and never exposes a partially written file,
    // unlike open(O_EXCL) followed by write.
    const { tmp, made } = await this.writeTemp(p, data);
    try {
      await fs.link(tmp, this.resolve(p));
      await syncEntries(path.dirname(tmp), made);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  async list(dir: string): Promise<string[]> {
    try {
      const entries = await fs.readdir(this.resolve(dir), { withFileTypes: true });
      return entries.filter((e) => e.isFile() && !e.name.startsWith('.tmp-')).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async listTree(dir: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await fs.readdir(this.resolve(rel), { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const e of entries) {
        const child = `${rel}/${e.name}`;
        if (e.isDirectory()) await walk(child);
        else if (e.isFile() && !e.name.startsWith('.tmp-')) {
          const stat = await fs.stat(this.resolve(child)).catch(() => undefined); // deleted meanwhile: skipped
          if (stat) out.push({ path: child, modifiedMs: stat.mtimeMs });
        }
      }
    };
    await walk(dir.replace(/\/+$/, ''));
    return out;
  }

  async delete(p: string): Promise<void> {
    await fs.rm(this.resolve(p), { force: true });
  }

  /**
   * Writes and fsyncs a temp file next to the target (same filesystem, so link/rename are atomic); `made` is the
   * first directory created for it, if any.
   */
  private async writeTemp(p: string, data: Uint8Array | Readable): Promise<{ tmp: string; made?: string }> {
    const target = this.resolve(p);
    const made = await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(path.dirname(target), `.tmp-${randomUUID()}`);
    const handle = await fs.open(tmp, 'wx');
    try {
      if (data instanceof Readable) {
        // Writing chunk by chunk keeps memory flat and lets the handle close normally (a stream made from the
        // handle with autoClose off would keep it referenced and make close() wait forever).
        for await (const chunk of data) await handle.write(chunk as Buffer);
      } else {
        await handle.writeFile(data);
      }
      await handle.sync();
    } catch (err) {
      await handle.close();
      await fs.rm(tmp, { force: true });
      throw err;
    }
    await handle.close();
    return { tmp, made };
  }
}

/**
 * Makes a new name in `dir` durable: fsyncs `dir` and, when directories were made for it (`made` the first), the
 * parent of each. Without this a power loss can drop the entry a rename or link made, after the file's own fsync
 * (a commit file the caller was told is on storage).
 */
async function syncEntries(dir: string, made: string | undefined): Promise<void> {
  await syncDir(dir);
  if (made === undefined) return;
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) {
    await syncDir(path.dirname(d));
    if (d === made) break;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
