import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './stack';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kafka-pipeline <args>` as an operator does (a child process); a non-zero exit is a result, not a throw. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string } = {},
): Promise<CliResult> {
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
