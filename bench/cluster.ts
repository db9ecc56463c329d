// `npm run bench:cluster [-- --quick]` (issue 34 item 4): the bench's summary figures on both stack profiles in one
// run, each against ceilings measured on that profile in the same run (`--smoke`: tiny sizes, for the tests). First the dev profile (a fresh Temporal dev
// server as `npm run bench` uses: SQLite, one history shard, plaintext; the stack's one broker), then the cluster
// profile (scripts/cluster.sh: the Temporal server on PostgreSQL with its history shards and mTLS; three brokers over
// SASL_SSL, replication factor 3, min.insync.replicas 2), brought up if it is not. Writes
// bench/results/<timestamp>-cluster.json (and bench/results/cluster-latest.json after a full run) and prints the two
// side by side. The Delta writer and single-process memory figures do not depend on the profile: `npm run bench`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFileServerStandin } from '../dev/file-server-standin';
import { CLUSTER_STATE, clusterRunning, ensureCluster, stopClusterIfStartedByTests } from '../test/support/cluster';
import { ensureStack, ROOT, stopStackIfStartedByTests } from '../test/support/stack';
import { bridgeRate } from './bridge-rate';
import { kafkaCeiling } from './ceilings';
import { endToEnd } from './end-to-end';
import { type Figure, markdown, step } from './figures';
import { comparison, summarise, type ProfileRun } from './summary';
import { benchTarget, clusterTarget, devTarget, useTarget } from './target';
import { ceilingFigures, temporalCeilings } from './temporal-ceilings';
import { devServerSettings, quietSdkLogs, startServer } from './temporal-server';

const SIZES = {
  full: {
    kafka: 50_000,
    starts: 1_000,
    completions: 300,
    bridge: 2_000,
    bridgeRuns: 3,
    burst: 500,
    drain: 5_000,
    drainCap: 600,
    window: 30,
  },
  quick: {
    kafka: 10_000,
    starts: 300,
    completions: 150,
    bridge: 500,
    bridgeRuns: 3,
    burst: 200,
    drain: 1_000,
    drainCap: 300,
    window: 15,
  },
  // test/cluster/bench-smoke.test.ts: the harness on both profiles at tiny sizes; its numbers mean nothing.
  smoke: {
    kafka: 1_000,
    starts: 30,
    completions: 20,
    bridge: 50,
    bridgeRuns: 1,
    burst: 20,
    drain: 40,
    drainCap: 60,
    window: 3,
  },
} as const;
type Size = (typeof SIZES)[keyof typeof SIZES];

quietSdkLogs();

/** A section of the profile being measured, its progress line tagged with the profile. */
const profileStep = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
  step(`[${benchTarget().profile}] ${name}`, fn);

/** The profile's figures: Kafka and Temporal ceilings, bridge rate, then burst, backlog and latency end to end. */
async function measure(size: Size, historyShards: number): Promise<ProfileRun> {
  const t0 = Date.now();
  const figures: Figure[] = [await profileStep('kafka ceiling', () => kafkaCeiling(size.kafka))];
  const ceilings = await profileStep('temporal ceilings', () => temporalCeilings(size.starts, size.completions, 64));
  figures.push(...ceilingFigures(ceilings, size.starts, size.completions));
  const bridge = await profileStep('bridge rate', () => bridgeRate(size.bridge, size.bridgeRuns, ceilings.startsPerS));
  figures.push(bridge);
  const sample = await startFileServerStandin();
  try {
    const e2e = await endToEnd(sample, size, ceilings);
    figures.push(...e2e.figures);
    const summary = summarise(e2e, ceilings, bridge);
    return { profile: benchTarget().profile, historyShards, seconds: (Date.now() - t0) / 1000, summary, figures };
  } finally {
    await sample.close();
  }
}

async function main(): Promise<void> {
  const mode = process.argv.includes('--smoke') ? 'smoke' : process.argv.includes('--quick') ? 'quick' : 'full';
  const size = SIZES[mode];
  const started = Date.now();
  await ensureStack();
  // The dev profile is measured first, before this run brings the cluster up: an idle cluster beside it still takes
  // CPU from the 2 cores (8 shards' queue processors, 3 brokers, PostgreSQL).
  const clusterUpDuringDev = await clusterRunning();
  if (clusterUpDuringDev) {
    process.stderr.write(
      'bench: the cluster profile is already running; the dev server figures share the machine with it ' +
        '(for a fair comparison: npm run stack:down -- --profile cluster first)\n',
    );
  }
  const server = await startServer(devServerSettings());
  let dev: ProfileRun;
  try {
    useTarget(devTarget(server));
    dev = await measure(size, 1);
  } finally {
    await server.stop();
  }
  process.stderr.write('bench: bringing the cluster profile up (scripts/cluster.sh up)...\n');
  const env = await ensureCluster();
  let cluster: ProfileRun;
  try {
    useTarget(clusterTarget(env));
    const shards = Number(fs.readFileSync(path.join(CLUSTER_STATE, 'temporal', 'shards'), 'utf8'));
    cluster = await measure(size, shards);
  } finally {
    // Either profile is stopped again if this run brought it up (as the test suites do).
    await stopClusterIfStartedByTests();
    await stopStackIfStartedByTests();
  }
  const result = {
    date: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    environment: {
      mode,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      clusterUpDuringDev,
    },
    sizes: size,
    profiles: { dev, cluster },
  };
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${result.date.replace(/[:.]/g, '-')}-cluster-${mode}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  if (mode === 'full')
    fs.writeFileSync(path.join(outDir, 'cluster-latest.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`# kafka-pipeline bench on both profiles (${mode}, ${result.seconds} s), ${os.cpus().length} cores\n`);
  console.log(comparison(dev, cluster));
  console.log(`\n## dev server\n\n${markdown(dev.figures)}\n\n## cluster\n\n${markdown(cluster.figures)}`);
  console.log(`\nresults: ${path.relative(ROOT, file)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
