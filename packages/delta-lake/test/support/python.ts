import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The Python with `deltalake` (delta-rs) and `pyarrow` that reads what the writer wrote, independently of it:
 * DELTA_LAKE_PYTHON, else the repository's tools venv (`npm run stack:install` at the root creates it).
 */
export const PYTHON =
  process.env.DELTA_LAKE_PYTHON ?? path.resolve(__dirname, '..', '..', '..', '..', '.tools', 'venv', 'bin', 'python');

/** Runs a Python snippet; returns its stdout. */
export async function runPython(code: string, args: string[] = []): Promise<string> {
  // Exit without interpreter teardown once done: delta-rs can hang there (delta-io/delta-rs#2184).
  const script = `${code}\nimport os as _os, sys as _sys\n_sys.stdout.flush()\n_os._exit(0)\n`;
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', script, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
