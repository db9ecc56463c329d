// Issue 32 item 4: worker settings compared in the same run (bench/variants.ts runs them; this file is the list
// and the arithmetic, kept free of I/O so a unit test can check it).
import path from 'node:path';
import { PROCESS_NODE_OPTIONS } from '../src/worker/node-options';

/** One way to run the compiled worker; everything not set is as shipped. */
export interface WorkerVariant {
  readonly name: string;
  readonly note: string;
  /** The worker's NODE_OPTIONS (default PROCESS_NODE_OPTIONS). */
  readonly nodeOptions?: string;
  /** Node flags NODE_OPTIONS does not take (V8 GC flags such as --single-threaded-gc). */
  readonly execArgv?: readonly string[];
  /** Configuration keys of the worker and the bridge. */
  readonly env?: Record<string, string>;
  /** Another checkout (built) whose compiled worker and bridge run instead of this code's: a before/after. */
  readonly root?: string;
  /** One combined process (`kafka-pipeline run`, eager start) instead of a worker and a bridge process. */
  readonly combined?: boolean;
}

export const BASELINE = 'baseline';
const NO_VM_TIMEOUT = path.join(__dirname, 'no-vm-timeout.cjs');

export const VARIANTS: readonly WorkerVariant[] = [
  { name: BASELINE, note: `as shipped: NODE_OPTIONS=${PROCESS_NODE_OPTIONS}, config defaults` },
  {
    name: 'semi-1',
    note: 'young generation semi-space up to 1 MB (before issue 32 item 4)',
    nodeOptions: '--max-semi-space-size=1',
  },
  { name: 'semi-2', note: 'young generation semi-space up to 2 MB', nodeOptions: '--max-semi-space-size=2' },
  { name: 'semi-8', note: 'young generation semi-space up to 8 MB', nodeOptions: '--max-semi-space-size=8' },
  { name: 'semi-v8', note: "no NODE_OPTIONS: V8's own semi-space bound (16 MB on 64-bit)", nodeOptions: '' },
  {
    name: 'gc-1-thread',
    note: '--single-threaded-gc (no parallel GC helper threads)',
    execArgv: ['--single-threaded-gc'],
  },
  {
    name: 'no-vm-timeout',
    note: 'bench/no-vm-timeout.cjs: sandbox calls without the watchdog thread (a hack, not an SDK option)',
    nodeOptions: `${PROCESS_NODE_OPTIONS} --require ${NO_VM_TIMEOUT}`,
  },
  { name: 'wf-threads-2', note: 'WORKER_WORKFLOW_THREADS=2', env: { WORKER_WORKFLOW_THREADS: '2' } },
  {
    name: 'wft-slots-20',
    note: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=20',
    env: { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20' },
  },
  {
    name: 'wft-slots-160',
    note: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=160',
    env: { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '160' },
  },
  {
    name: 'combined',
    note: 'one combined process (kafka-pipeline run: bridge and worker on one connection, eager start)',
    combined: true,
  },
  {
    name: 'combined-slots-200',
    note: 'the combined process with WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=200 (= BRIDGE_MAX_OPEN_WORKFLOWS): a free slot for every open run, so that starts can be eager',
    combined: true,
    env: { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '200' },
  },
  {
    name: 'commit-50ms',
    note: 'DELTA_COMMIT_INTERVAL_MS=50 (a chain waits less for its rows, at more commits per event)',
    env: { DELTA_COMMIT_INTERVAL_MS: '50' },
  },
  {
    name: 'wft-slots-40',
    note: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=40 (before issue 32 item 4)',
    env: { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40' },
  },
];

export const BEFORE = 'before';

export interface VariantOptions {
  readonly events: number;
  readonly rounds: number;
  readonly variants: readonly WorkerVariant[];
}

/**
 * `--events N --rounds N --only a,b --before DIR --before-env K=V,K=V`. `--before` adds the variant `before`: the
 * compiled worker and bridge of another checkout (built with `npm run build` there), with the configuration keys of
 * `--before-env` (settings whose defaults changed in between, so that both codes run with the same settings).
 */
export function variantOptions(argv: readonly string[], known: readonly WorkerVariant[] = VARIANTS): VariantOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i >= 0 && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))) throw new Error(`${flag}: a value`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const events = Number(value('--events') ?? 300);
  const rounds = Number(value('--rounds') ?? 2);
  if (!Number.isInteger(events) || events < 1) throw new Error('--events: a positive whole number');
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a positive whole number');
  const before = value('--before');
  const beforeEnv = value('--before-env');
  if (beforeEnv !== undefined && before === undefined) throw new Error('--before-env: only with --before');
  const env: Record<string, string> = {};
  for (const pair of beforeEnv?.split(',') ?? []) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!m) throw new Error(`--before-env: KEY=VALUE pairs separated by commas, not ${JSON.stringify(pair)}`);
    env[m[1]!] = m[2]!;
  }
  const only = value('--only')?.split(',');
  const unknown = only?.filter((n) => n !== BEFORE && !known.some((v) => v.name === n)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`unknown variant ${unknown.join(', ')}; known: ${known.map((v) => v.name).join(', ')}`);
  }
  // The baseline always runs: every figure is a ratio to it.
  const variants = known.filter((v) => v.name === BASELINE || (only ? only.includes(v.name) : !before));
  if (before === undefined) return { events, rounds, variants };
  const settings = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return {
    events,
    rounds,
    variants: [
      ...variants,
      {
        name: BEFORE,
        note: `the code of ${before}${settings.length > 0 ? ` with ${settings.join(', ')}` : ''}`,
        root: before,
        env,
      },
    ],
  };
}

/**
 * The order of the runs: every round runs each variant once, the baseline among them, and every other round runs
 * them backwards (A B C, C B A, ...), so a machine whose load drifts through the run weighs on all of them alike.
 */
export function schedule(names: readonly string[], rounds: number): { round: number; name: string }[] {
  const out: { round: number; name: string }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? names : [...names].reverse();
    for (const name of order) out.push({ round, name });
  }
  return out;
}

/** One burst through one variant. */
export interface VariantRun {
  readonly name: string;
  readonly round: number;
  readonly eventsPerS: number;
  /** CPU ms per event, the worker process alone and all processes of the run (worker, bridge, Temporal, Kafka, bench). */
  readonly workerCpuMs: number;
  readonly totalCpuMs: number;
  readonly workerPeakRssMb: number;
  /** Share of starts the server handed eagerly to the combined process's own worker (combined variants only). */
  readonly eagerStartHitRatio?: number;
  /** The machine's 1-minute load average at the run's start and end. */
  readonly load: readonly [number, number];
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface VariantSummary {
  readonly name: string;
  readonly rounds: number;
  readonly eventsPerS: Spread;
  readonly workerCpuMs: Spread;
  readonly totalCpuMs: Spread;
  /** The highest worker peak over its rounds. */
  readonly workerPeakRssMb: number;
  /** Medians ÷ the baseline's medians. */
  readonly rateRatio: number;
  readonly workerCpuRatio: number;
  /**
   * Whether the median lies outside the baseline's own range over its rounds (its run-to-run spread): `better`
   * and `worse` are changes the spread does not explain; `within` is no measured difference.
   */
  readonly rate: 'better' | 'worse' | 'within';
  readonly workerCpu: 'better' | 'worse' | 'within';
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Outside the baseline's range: above it is `high`, below it `low`. */
const against = (value: number, base: Spread, high: 'better' | 'worse', low: 'better' | 'worse') =>
  value > base.max ? high : value < base.min ? low : 'within';

/** Each variant's figures over its rounds, next to the baseline's (`BASELINE` must be among the runs). */
export function summarise(runs: readonly VariantRun[]): VariantSummary[] {
  const names = [...new Set(runs.map((r) => r.name))];
  const of = (name: string) => runs.filter((r) => r.name === name);
  const base = of(BASELINE);
  if (base.length === 0) throw new Error(`no ${BASELINE} run to compare with`);
  const baseRate = spread(base.map((r) => r.eventsPerS));
  const baseCpu = spread(base.map((r) => r.workerCpuMs));
  return names.map((name) => {
    const mine = of(name);
    const eventsPerS = spread(mine.map((r) => r.eventsPerS));
    const workerCpuMs = spread(mine.map((r) => r.workerCpuMs));
    return {
      name,
      rounds: mine.length,
      eventsPerS,
      workerCpuMs,
      totalCpuMs: spread(mine.map((r) => r.totalCpuMs)),
      workerPeakRssMb: Math.max(...mine.map((r) => r.workerPeakRssMb)),
      rateRatio: eventsPerS.median / baseRate.median,
      workerCpuRatio: workerCpuMs.median / baseCpu.median,
      rate: name === BASELINE ? 'within' : against(eventsPerS.median, baseRate, 'better', 'worse'),
      workerCpu: name === BASELINE ? 'within' : against(workerCpuMs.median, baseCpu, 'worse', 'better'),
    };
  });
}

const f1 = (n: number) => n.toFixed(1);
const range = (s: Spread) => `${f1(s.median)} (${f1(s.min)}-${f1(s.max)})`;

/** The summary as a markdown table: median (min-max over the rounds) and the ratio to the baseline. */
export function variantsMarkdown(rows: readonly VariantSummary[]): string {
  const lines = rows.map(
    (r) =>
      `| ${r.name} | ${r.rounds} | ${range(r.eventsPerS)} | ${r.rateRatio.toFixed(2)} ${r.rate} | ` +
      `${range(r.workerCpuMs)} | ${r.workerCpuRatio.toFixed(2)} ${r.workerCpu} | ${range(r.totalCpuMs)} | ` +
      `${r.workerPeakRssMb.toFixed(0)} |`,
  );
  return [
    '| variant | rounds | events/s | ÷ baseline | worker CPU ms/event | ÷ baseline | total CPU ms/event | worker peak RSS MB |',
    '|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}
