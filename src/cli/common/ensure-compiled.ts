import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../observability/logger';
import { PROJECT_ROOT } from './stack';

const COMPILED_ENTRY = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
/** The workspace package the app imports by name; compiled code loads its dist/. */
const PACKAGE_ENTRY = path.join(PROJECT_ROOT, 'packages', 'delta-lake', 'dist', 'index.js');
/** What dist/ is compiled from: a change under any of them makes `npm start` build again. */
export const BUILD_SOURCES = [
  'src',
  'dev',
  'scripts',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  ...['src', 'package.json', 'tsconfig.json'].map((f) => `packages/delta-lake/${f}`),
];

/** Newest modification time (ms) of the files under `entries` (0 when none exists). */
function newestMtime(entries: readonly string[]): number {
  let newest = 0;
  const visit = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const e of entries) visit(path.join(PROJECT_ROOT, e));
  return newest;
}

/** True when dist/ is missing or older than a source file: `npm run build` is needed. */
export function compiledIsStale(): boolean {
  let built: number;
  try {
    built = fs.statSync(COMPILED_ENTRY).mtimeMs;
    fs.statSync(PACKAGE_ENTRY);
  } catch {
    return true;
  }
  return newestMtime(BUILD_SOURCES) > built;
}

/**
 * `npm start` runs the compiled worker and bridge (what the image runs: ~220 MB instead of ~300 MB through tsx):
 * builds once when dist/ is missing or older than the sources, then reuses it. Where there is nothing to build
 * from (an image without src/), dist/ is used as it is.
 */
export async function ensureCompiled(log: Logger): Promise<void> {
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'src')) || !compiledIsStale()) return;
  log.info('sources changed since the last build: running npm run build (once)');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
  });
  // tsc keeps the mtime of an output whose content did not change: mark the build as done.
  const now = new Date();
  fs.utimesSync(COMPILED_ENTRY, now, now);
  log.info('build done', { seconds: Math.round((Date.now() - started) / 1000) });
}
