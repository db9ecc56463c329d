// `npx tsx bench/trace.ts FILE [--bucket-ms 500]`: reads what `BENCH_TRACE=FILE` recorded (one line per backlog
// run: every poll's starts and completions) and prints, per bucket, the starts, the completions and the runs open
// at its end, plus how many buckets completed almost nothing: the stalls of a run show up as such buckets.
import fs from 'node:fs';

interface TracedRun {
  readonly count: number;
  readonly trace: readonly { t: number; started: number; done: number }[];
}

/** Per bucket of `bucketMs`: starts and completions in it, runs open at its end. */
export function buckets(run: TracedRun, bucketMs: number): { started: number; done: number; open: number }[] {
  const last = new Map<number, { started: number; done: number }>();
  for (const p of run.trace) last.set(Math.floor(p.t / bucketMs), p);
  const out: { started: number; done: number; open: number }[] = [];
  let prev = { started: 0, done: 0 };
  const end = Math.max(-1, ...last.keys());
  for (let k = 0; k <= end; k++) {
    const p = last.get(k) ?? prev;
    out.push({ started: p.started - prev.started, done: p.done - prev.done, open: p.started - p.done });
    prev = p;
  }
  return out;
}

function main(argv: readonly string[]): void {
  const file = argv[0];
  if (!file) throw new Error('usage: tsx bench/trace.ts FILE [--bucket-ms 500]');
  const i = argv.indexOf('--bucket-ms');
  const bucketMs = i >= 0 ? Number(argv[i + 1]) : 500;
  if (!Number.isInteger(bucketMs) || bucketMs < 100) throw new Error('--bucket-ms: a whole number of 100 or more');
  const runs = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TracedRun);
  runs.forEach((run, n) => {
    const rows = buckets(run, bucketMs);
    const quiet = rows.filter((r) => r.done < (run.count / rows.length) * 0.1).length;
    console.log(`run ${n + 1}: ${run.count} events, ${rows.length} buckets of ${bucketMs} ms, ${quiet} nearly idle`);
    console.log('  started/completed/open: ' + rows.map((r) => `${r.started}/${r.done}/${r.open}`).join(' '));
  });
}

if (require.main === module) main(process.argv.slice(2));
