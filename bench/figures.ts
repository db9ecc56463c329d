import fs from 'node:fs';

/** The numbers bench/results/latest.json's `summary` must hold (issue 17); the tests read this list. */
export const SUMMARY_FIELDS = [
  'e2eEventsPerS',
  'emptyWorkflowCeilingPerS',
  'drainEventsPerS',
  'burstEventsPerS',
  'latencyP95Ms',
  'bridgeRatio',
  'workerPeakRssBurstMb',
] as const;

/** The numbers issue 32 item 5 adds to `summary` (besides `cpuMsPerEvent`); the bench's smoke test reads this list. */
export const COST_FIELDS = [
  'emptyWorkflowCeilingPipelineSettingsPerS',
  'allLocalShapeCeilingPerS',
  'perEventPersistenceWrites',
  'perEventWorkflowTasks',
  'perEventHistoryEvents',
  'workerPeakRssDrainMb',
] as const;

/** CPU milliseconds per event: the sum over the processes, and each process's share. */
export function cpuTotals(byProcess: Readonly<Record<string, number>>): {
  total: number;
  byProcess: Record<string, number>;
} {
  return { total: Object.values(byProcess).reduce((a, b) => a + b, 0), byProcess: { ...byProcess } };
}

/** One measured figure, optionally next to its same-run baseline and target. */
export interface Figure {
  readonly section: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
  /** value ÷ baseline (or the figure itself when it is a ratio). */
  readonly ratio?: number;
  readonly target?: string;
  readonly note?: string;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export function markdown(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const baseline = f.baseline ? `${f.baseline.name}: ${round(f.baseline.value)}` : '';
    const ratio = f.ratio === undefined ? '' : String(round(f.ratio, 2));
    return `| ${f.section} | ${f.name} | ${round(f.value)} ${f.unit} | ${baseline} | ${ratio} | ${f.target ?? ''} | ${f.note ?? ''} |`;
  });
  return [
    '| section | figure | value | baseline (same run) | ratio | target | note |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** A bench section with its progress line on stderr: `bench: <name>... <seconds> s`. */
export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  process.stderr.write(`bench: ${name}...`);
  const out = await fn();
  process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  return out;
}

/** The fields of /proc/<pid>/stat after the command name (ppid is [1], utime [11], stime [12], cutime [13], cstime [14]). */
export function procStat(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/**
 * CPU seconds (user + system) a process has used so far; 0 when it is gone. `reaped`: with its children that have
 * exited and been waited for (PostgreSQL's backends, which come and go with connections).
 */
export function cpuSeconds(pid: number | undefined, reaped = false): number {
  if (!pid) return 0;
  try {
    const fields = procStat(pid);
    // utime, stime, cutime, cstime in clock ticks (USER_HZ = 100)
    const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
    return ticks / 100;
  } catch {
    return 0;
  }
}

/** cpuSeconds summed over processes. */
export const sumCpu = (pids: readonly number[], reaped = false) =>
  pids.reduce((sum, pid) => sum + cpuSeconds(pid, reaped), 0);

/** A process's resident set size in bytes (0 once it is gone). */
export function rssBytes(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0; // process gone
  }
}

/** Peak resident set size of a process, sampled every `everyMs` until stopped. */
export function rssSampler(pid: number, everyMs = 50): { stop(): number; peak(): number } {
  let peak = 0;
  const read = () => {
    peak = Math.max(peak, rssBytes(pid));
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return peak;
    },
    peak: () => peak,
  };
}
