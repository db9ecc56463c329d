import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DeltaStore } from '../../src/store';

/** A DeltaStore on a local folder, for the package's tests: put by rename, putIfAbsent by an exclusive create. */
export class FolderStore implements DeltaStore {
  constructor(readonly root: string) {}

  async get(p: string): Promise<Buffer | undefined> {
    return fs.readFile(path.join(this.root, p)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
  }

  async put(p: string, data: Uint8Array): Promise<number> {
    const tmp = await this.temp(p, data);
    await fs.rename(tmp, path.join(this.root, p));
    return data.byteLength;
  }

  async putIfAbsent(p: string, data: Uint8Array): Promise<boolean> {
    // O_EXCL: enough for the package's single-process tests (the app's stores also survive crashes mid-write).
    const target = path.join(this.root, p);
    await fs.mkdir(path.dirname(target), { recursive: true });
    return fs.writeFile(target, data, { flag: 'wx' }).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      },
    );
  }

  async list(dir: string): Promise<string[]> {
    const entries = await fs.readdir(path.join(this.root, dir), { withFileTypes: true }).catch((err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    });
    return entries.filter((e) => e.isFile() && !e.name.startsWith('.tmp-')).map((e) => e.name);
  }

  async delete(p: string): Promise<void> {
    await fs.rm(path.join(this.root, p), { force: true });
  }

  private async temp(p: string, data: Uint8Array): Promise<string> {
    const target = path.join(this.root, p);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(path.dirname(target), `.tmp-${randomUUID()}`);
    await fs.writeFile(tmp, data);
    return tmp;
  }
}
