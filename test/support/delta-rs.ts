import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './stack';

const run = promisify(execFile);
export const PYTHON = process.env.KP_TOOLS_PYTHON ?? path.join(ROOT, '.tools', 'venv', 'bin', 'python');

export interface DeltaRsView {
  version: number;
  protocol: [number, number];
  schema: [string, string, boolean][];
  partition_columns: string[];
  history: { version: number; operation: string }[];
  num_files: number;
  rows: Record<string, unknown>[];
}

/** Reads a Delta table with delta-rs (Python `deltalake`), independent of our own reader. */
export async function readWithDeltaRs(tablePath: string, version?: number): Promise<DeltaRsView> {
  const args = [path.join(__dirname, 'read_delta.py'), tablePath, ...(version === undefined ? [] : [String(version)])];
  const { stdout } = await run(PYTHON, args, { maxBuffer: 512 * 1024 * 1024 });
  return JSON.parse(stdout) as DeltaRsView;
}

/** Runs a Python snippet in the tools venv (deltalake + pyarrow available). */
export async function runPython(code: string, args: string[] = []): Promise<string> {
  // Exit without interpreter teardown once done: see read_delta.py (delta-io/delta-rs#2184).
  const script = `${code}\nimport os as _os, sys as _sys\n_sys.stdout.flush()\n_os._exit(0)\n`;
  const { stdout } = await run(PYTHON, ['-c', script, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
