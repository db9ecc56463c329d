// `npm run bench:variants [-- --events 300 --rounds 2 --only baseline,semi-4] [--before DIR [--before-env K=V]]`:
// worker settings, or this code against an older checkout's (`--before`), compared in one run (issue 32 item 4). The same burst of queued events through the compiled worker and bridge (as bench/run.ts's
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
import { schedule, summarise, variantOptions, variantsMarkdown, type VariantRun } from './worker-variants';

async function main(): Promise<void> {
  const opts = variantOptions(process.argv.slice(2));
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
        root: variant.root,
        combined: variant.combined,
      });
      const cpu = cpuTotals(run.cpuMsPerEvent);
      runs.push({
        name,
        round,
        eventsPerS: run.eventsPerS,
        workerCpuMs: run.cpuMsPerEvent.worker,
        totalCpuMs: cpu.total,
        workerPeakRssMb: run.workerPeakRssMb,
        eagerStartHitRatio: run.eagerStartHitRatio,
        load: [load0!, os.loadavg()[0]!],
      });
      process.stderr.write(
        ` ${run.eventsPerS.toFixed(1)} events/s, worker ${run.cpuMsPerEvent.worker.toFixed(1)} ms/event, ` +
          `${run.workerPeakRssMb.toFixed(0)} MB` +
          (run.eagerStartHitRatio === undefined ? '' : `, ${(run.eagerStartHitRatio * 100).toFixed(0)} % eager`) +
          `${run.done < run.events ? `, ONLY ${run.done} of ${run.events} done` : ''}\n`,
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
