import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileAsync, ROOT } from './stack';

/**
 * Runs a bench script (`bench/<script>`) at smoke sizes as `npm run bench…` runs it (tsx), and returns what it printed
 * and the results file it wrote (read, then removed: smoke figures mean nothing).
 */
export async function runBenchSmoke<T>(script: string, timeoutMs: number): Promise<{ stdout: string; result: T }> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'bench', script), '--smoke'],
    { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
  );
  const file = /results: (\S+)/.exec(stdout)?.[1];
  assert.ok(file, stdout);
  const result = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;
  fs.rmSync(path.join(ROOT, file));
  return { stdout, result };
}
