import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './stack';
import { until } from './poll';
import { freePort } from './free-port';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = {
  accountName: 'devstoreaccount1',
  accountKey: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

/** A real Azurite Blob service (npm `azurite`, in-memory) on a free 127.0.0.1 port, for the Blob API calls. */
export class AzuriteBlob {
  private proc?: ChildProcess;
  url = '';

  async start(): Promise<string> {
    const port = await freePort();
    const bin = path.join(ROOT, 'node_modules', '.bin', 'azurite-blob');
    const args = ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence'];
    this.proc = spawn(bin, [...args, '--disableTelemetry', '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    this.proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    this.proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await until(
      'azurite listens',
      async () => output.includes('successfully listens') || this.proc!.exitCode !== null,
      async () => output,
      30_000,
    );
    if (!output.includes('successfully listens')) throw new Error(`azurite did not start: ${output}`);
    this.url = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT.accountName}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}
