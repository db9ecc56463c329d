import type { ActivityDeps } from '../../src/activities';
import type { Downloader } from '../../src/adapters/http/downloader';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';

/** Activity deps for transfer tests: files under `dir`/Files/x, downloads from `open`, no Delta tables. */
export function transferDeps(dir: string, open: Downloader['open'], extra: Partial<ActivityDeps> = {}): ActivityDeps {
  return {
    workerId: 'w',
    taskQueue: 'q',
    store: new LocalObjectStore(dir),
    filesPrefix: 'Files/x',
    eventsTable: { append: () => Promise.reject(new Error('unused')), flush: () => Promise.resolve() },
    attachmentsTable: { append: () => Promise.reject(new Error('unused')), flush: () => Promise.resolve() },
    downloader: { open } as unknown as Downloader,
    urlPolicy: { allowedHosts: new Set(['files.example']), httpHosts: new Set(), allowLoopback: false },
    transferTimeoutMs: 60_000,
    ...extra,
  };
}
