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

/**
 * Where stack.sh (dev profile) and cluster.sh (KP_STACK_PROFILE=cluster) record each server's pid, and the
 * command-line marker their pid_alive checks, so a reused pid is not taken for our server (cluster.sh's markers name
 * the server's own state folder: its `--root`, the broker's server.properties).
 */
const CLUSTER = path.join(STATE_DIR, 'cluster');
const RECORDED = {
  dev: { temporal: ['temporal/pid', 'start-dev'], kafka: ['kafka/pid', 'kafka.Kafka'] },
  cluster: {
    temporal: ['cluster/temporal/pid', `--root ${path.join(CLUSTER, 'temporal')} `],
    kafka: ['cluster/kafka-1/pid', path.join(CLUSTER, 'kafka-1', 'server.properties')],
  },
} as const;

/** Whether a server recorded by the stack scripts (temporal | kafka) of the profile in use is alive and still it. */
export function stackServerRunning(server: 'temporal' | 'kafka'): boolean {
  const [file, marker] = RECORDED[process.env.KP_STACK_PROFILE === 'cluster' ? 'cluster' : 'dev'][server];
  try {
    const pid = Number(fs.readFileSync(path.join(STATE_DIR, file), 'utf8').trim());
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(marker);
  } catch {
    return false;
  }
}
