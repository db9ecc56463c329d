// `npm run soak`: the long Delta log (soak/long-log.ts), then this: the pipeline over time (issue 31), the compressed month — the
// compiled bridge and worker under a steady load with maintenance every minute — and prints its figures as JSON;
// writes soak/results/latest.json. docs/reliability.md ("Over time") holds the figures of the last long run.
import fs from 'node:fs';
import path from 'node:path';
import { ensureStack, ROOT, stopStackIfStartedByTests } from '../test/support/stack';
import { numberArg } from './args';
import { SOAK_ENV } from './settings';
import { steadyLoad } from './steady';

/**
 * `--worker-env K=V` / `--bridge-env K=V` (repeatable): extra environment for the worker or the bridge only, for
 * experiments (e.g. `--bridge-env NODE_OPTIONS=--max-semi-space-size=4`).
 */
function envArgs(flag: '--worker-env' | '--bridge-env'): Record<string, string> {
  const env: Record<string, string> = {};
  process.argv.forEach((a, i) => {
    if (a !== flag) return;
    const [k, ...v] = (process.argv[i + 1] ?? '').split('=');
    if (!k || v.length === 0) throw new Error(`${flag} takes K=V, got ${process.argv[i + 1]}`);
    env[k] = v.join('=');
  });
  return env;
}

async function main(): Promise<void> {
  const minutes = numberArg('minutes', 30);
  const rate = numberArg('rate', 8);
  const workerEnv = envArgs('--worker-env');
  const bridgeEnv = envArgs('--bridge-env');
  await ensureStack();
  try {
    const report = await steadyLoad({
      seconds: minutes * 60,
      eventsPerS: rate,
      failEvery: 50,
      env: SOAK_ENV,
      workerEnv,
      bridgeEnv,
      log: (l) => console.log(l),
    });
    const out = {
      when: new Date().toISOString(),
      minutes,
      eventsPerS: rate,
      workerEnv,
      bridgeEnv,
      ...report,
    };
    const dir = path.join(ROOT, 'soak', 'results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(out, null, 2) + '\n');
    console.log(JSON.stringify(out, null, 2));
    const ok =
      report.eventRows.once === report.produced &&
      report.replayed &&
      report.attachmentRows.rows === report.attachmentRows.distinctMediaIds;
    console.log(ok ? 'soak: ok' : 'soak: FAILED (see the figures above)');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await stopStackIfStartedByTests();
  }
}

void main();
