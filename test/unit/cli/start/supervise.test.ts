import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { supervise, type ChildSpec } from '../../../../src/cli/start/supervise';
import { createLogger } from '../../../../src/observability/logger';
import { until } from '../../../support/poll';

/** Small Node scripts stand in for the worker and bridge: what matters here is how they exit. */
const SCRIPTS: Record<string, string> = {
  // Exits with 3 on its first two starts (counted in a file), then runs until SIGTERM and exits 0.
  flaky: `const f=process.env.COUNT;const n=fs.existsSync(f)?+fs.readFileSync(f,'utf8'):0;fs.writeFileSync(f,String(n+1));
          if(n<2)process.exit(3);process.on('SIGTERM',()=>{fs.writeFileSync(f+'.term','1');process.exit(0)});setInterval(()=>{},1000);`,
  crashing: `setTimeout(() => process.exit(7), 100);`,
  steady: `process.on('SIGTERM',()=>{fs.writeFileSync(process.env.COUNT+'.term','1');process.exit(0)});setInterval(()=>{},1000);`,
};

describe('npm start supervision (src/cli/start/supervise.ts)', () => {
  let dir: string;
  const lines: string[] = [];
  const log = createLogger('start', { level: 'info', write: (l) => lines.push(l) });
  const launch = (spec: ChildSpec) =>
    spawn(process.execPath, ['-e', `const fs=require('fs');${SCRIPTS[spec.cmd]}`], {
      env: { ...process.env, ...spec.env },
      stdio: 'ignore',
    });
  const count = (name: string) => Number(fs.readFileSync(path.join(dir, name), 'utf8'));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervise-'));
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('restarts a process that exits on its own, with backoff and a log line, and stops it on request with 0', async () => {
    const stop = new AbortController();
    const done = supervise([{ cmd: 'flaky', env: { COUNT: path.join(dir, 'flaky') } }], log, stop.signal, {
      backoffMs: 20,
      launch,
    });
    await until('the third start runs', async () => fs.existsSync(path.join(dir, 'flaky')) && count('flaky') === 3);
    stop.abort();
    assert.equal(await done, 0);
    assert.ok(fs.existsSync(path.join(dir, 'flaky.term')), 'the running process got SIGTERM');
    const restarts = lines
      .map((l) => JSON.parse(l) as { msg: string; level: string })
      .filter((l) => /restarting it in/.test(l.msg));
    assert.equal(restarts.length, 2);
    assert.match(restarts[0]!.msg, /^flaky exited on its own \(3\); restarting it in 0\.0 s/);
    assert.equal(restarts[0]!.level, 'error');
  });

  it('gives up after repeated crashes within the window: stops the others and returns 1', async () => {
    const stop = new AbortController();
    const code = await supervise(
      [{ cmd: 'crashing' }, { cmd: 'steady', env: { COUNT: path.join(dir, 'steady') } }],
      log,
      stop.signal,
      { backoffMs: 5, maxCrashes: 4, windowMs: 60_000, launch },
    );
    assert.equal(code, 1);
    assert.ok(fs.existsSync(path.join(dir, 'steady.term')), 'the healthy process was stopped with SIGTERM');
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.equal(messages.filter((m) => /^crashing exited on its own \(7\)/.test(m)).length, 3);
    assert.ok(messages.includes('crashing crashed 4 times within 60 s; giving up and stopping the others'));
  });
});
