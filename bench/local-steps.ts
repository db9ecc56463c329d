// `npx tsx bench/local-steps.ts [workflows=1000] [rounds=3]` (in the stack's network namespace, like the bench): what
// one local activity costs. Workflows of 0 to 3 no-op local activities, one after another, completed per second by
// one in-process worker with the pipeline's settings (64 in flight, no eager start), on a fresh dev server, the
// shapes interleaved over rounds (every other round backwards); with the CPU this process (client and worker) spent
// per workflow. Issue 32: why the common xact event became one local step (docs/performance.md, "One local step").
import { ensureStack } from '../test/support/stack';
import { spread } from './worker-variants';
import { completionRun } from './temporal-ceilings';
import { devServerSettings, quietSdkLogs, startServer } from './temporal-server';
import { benchTarget, devTarget, targetClient, useTarget } from './target';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const rounds = Number(process.argv[3] ?? 3);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error('usage: local-steps.ts [workflows >= 1] [rounds >= 1]');
  }
  quietSdkLogs();
  await ensureStack();
  const server = await startServer(devServerSettings());
  useTarget(devTarget(server));
  const target = benchTarget();
  const { connection, client } = await targetClient(target);
  const shapes = [0, 1, 2, 3];
  const runs = new Map<number, { rate: number; cpuMs: number }[]>(shapes.map((n) => [n, []]));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const steps of round % 2 === 1 ? shapes : [...shapes].reverse()) {
        const run = await completionRun(client, target, 'benchLocalSteps', [steps], count, 64, 'pipeline');
        const [rate, cpuMs] = [run.perS, run.cpuMsPerWorkflow];
        runs.get(steps)!.push({ rate, cpuMs });
        console.error(`round ${round}, ${steps} local: ${rate.toFixed(1)} wf/s, ${cpuMs.toFixed(2)} ms CPU/wf`);
      }
    }
  } finally {
    await connection.close();
    await server.stop();
  }
  console.log('| local activities | workflows/s median (range) | client + worker CPU ms per workflow, median |');
  console.log('|---|---|---|');
  for (const [steps, list] of runs) {
    const rate = spread(list.map((r) => r.rate));
    const cpu = spread(list.map((r) => r.cpuMs));
    console.log(
      `| ${steps} | ${rate.median.toFixed(1)} (${rate.min.toFixed(1)}-${rate.max.toFixed(1)}) | ${cpu.median.toFixed(2)} |`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`local-steps failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
