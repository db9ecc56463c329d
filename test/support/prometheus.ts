import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Makes sure Debian's `prometheus` package (prometheus + promtool) is installed: installs it with apt-get when it is
 * missing and we may (root), else fails with what to run. scripts/install-tools.sh does the same for CI.
 */
export function ensurePrometheus(): void {
  if (spawnSync('promtool', ['--version']).status === 0) return;
  const root = process.getuid?.() === 0;
  if (!root || spawnSync('apt-get', ['--version']).status !== 0)
    throw new Error('promtool is missing: install Debian package prometheus (apt-get install prometheus)');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Runs promtool; returns its exit status and combined output. */
export function promtool(...args: string[]): { status: number; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}
