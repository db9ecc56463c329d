import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRootFrom } from './project-root';

/**
 * The same folder whether this runs from src/ (tsx) or from dist/ (compiled): .state, scripts/, bin/ live there. Seen
 * from the CLI's folder (src/cli or dist/src/cli), the one above this module's.
 */
export const PROJECT_ROOT = projectRootFrom(path.resolve(__dirname, '..'));
const STATE_DIR = process.env.KP_STATE_DIR ?? path.join(PROJECT_ROOT, '.state');

/** Runs `scripts/stack.sh <action>` with inherited output; rejects on a non-zero exit. */
export function runStackScript(action: 'up' | 'down' | 'status'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(PROJECT_ROOT, 'scripts', 'stack.sh'), action], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`stack.sh ${action} exited with ${code}`))));
  });
}

/** The command-line marker stack.sh's pid_alive checks, so a reused pid is not taken for our server. */
const MARKER = { temporal: 'start-dev', kafka: 'kafka.Kafka' } as const;

/** Whether a server recorded by stack.sh (temporal | kafka) is alive and still that server (as pid_alive decides). */
export function stackServerRunning(server: 'temporal' | 'kafka'): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(STATE_DIR, server, 'pid'), 'utf8').trim());
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(MARKER[server]);
  } catch {
    return false;
  }
}
