// `npm run bench:variants [-- --events 300 --rounds 2 --only baseline,semi-4]`: worker settings compared in one run
// (issue 32 item 4). The same burst of queued events through the compiled worker and bridge (as bench/run.ts's
// end-to-end burst) for each variant of bench/worker-variants.ts, interleaved over rounds on one fresh Temporal
// server, so noise from a shared machine hits every variant alike. Prints a table and writes
// bench/results/<timestamp>-variants.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFileServerStandin } from '../dev/file-server-standin';
import { ensureStack, ROOT } from '../test/support/stack';
import { cpuTotals } from './figures';
import { backlogRun } from './pipeline';
import { devServerSettings, startServer } from './temporal-server';
import { devTarget, useTarget } from './target';
import {
  BASELINE,
  schedule,
  summarise,
  VARIANTS,
  variantsMarkdown,
  type VariantRun,
  type WorkerVariant,
} from './worker-variants';

interface Options {
  readonly events: number;
  readonly rounds: number;
  readonly variants: readonly WorkerVariant[];
}

function options(argv: readonly string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const events = Number(value('--events') ?? 300);
  const rounds = Number(value('--rounds') ?? 2);
  if (!Number.isInteger(events) || events < 1) throw new Error('--events: a positive whole number');
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a positive whole number');
  const only = value('--only')?.split(',');
  const unknown = only?.filter((n) => !VARIANTS.some((v) => v.name === n)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`unknown variant ${unknown.join(', ')}; known: ${VARIANTS.map((v) => v.name).join(', ')}`);
  }
  // The baseline always runs: every figure is a ratio to it.
  const variants = VARIANTS.filter((v) => v.name === BASELINE || !only || only.includes(v.name));
  return { events, rounds, variants };
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = new Date();
  await ensureStack();
  const server = await startServer(devServerSettings());
  useTarget(devTarget(server));
  const sample = await startFileServerStandin();
  const runs: VariantRun[] = [];
  try {
    for (const { round, name } of schedule(
      opts.variants.map((v) => v.name),
      opts.rounds,
    )) {
      const variant = opts.variants.find((v) => v.name === name)!;
      process.stderr.write(`variants: round ${round}, ${name}...`);
      const load0 = os.loadavg()[0];
      const run = await backlogRun(sample, opts.events, 600, {
        overrides: variant.env,
        workerNodeOptions: variant.nodeOptions,
        workerExecArgv: variant.execArgv,
      });
      const cpu = cpuTotals(run.cpuMsPerEvent);
      runs.push({
        name,
        round,
        eventsPerS: run.eventsPerS,
        workerCpuMs: run.cpuMsPerEvent.worker,
        totalCpuMs: cpu.total,
        workerPeakRssMb: run.workerPeakRssMb,
        load: [load0!, os.loadavg()[0]!],
      });
      process.stderr.write(
        ` ${run.eventsPerS.toFixed(1)} events/s, worker ${run.cpuMsPerEvent.worker.toFixed(1)} ms/event, ` +
          `${run.workerPeakRssMb.toFixed(0)} MB${run.done < run.events ? `, ONLY ${run.done} of ${run.events} done` : ''}\n`,
      );
    }
  } finally {
    await sample.close();
    await server.stop();
  }
  const summary = summarise(runs);
  const loads = runs.flatMap((r) => r.load);
  const result = {
    date: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 1000),
    command: `npm run bench:variants -- ${process.argv.slice(2).join(' ')}`.trim(),
    events: opts.events,
    rounds: opts.rounds,
    cores: os.cpus().length,
    loadAverage1m: { min: Math.min(...loads), max: Math.max(...loads) },
    variants: opts.variants,
    summary,
    runs,
  };
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${started.toISOString().replace(/[:.]/g, '-')}-variants.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(
    `# worker variants: burst of ${opts.events} queued events, ${opts.rounds} rounds interleaved, ${result.seconds} s; ` +
      `1-min load average ${result.loadAverage1m.min.toFixed(1)}-${result.loadAverage1m.max.toFixed(1)} on ${result.cores} cores\n`,
  );
  console.log(variantsMarkdown(summary));
  console.log(`\nresults: ${path.relative(ROOT, file)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench variants failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
