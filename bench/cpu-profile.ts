// `npx tsx bench/cpu-profile.ts <file.cpuprofile> [events] [--window from-to] [--against <base.cpuprofile> <events>]`:
// where a V8 CPU profile (node --cpu-prof) spent its time, by area (our code, Temporal SDK, Delta/Parquet, JSON,
// logging, GC, ...) and by function, self and inclusive, in milliseconds (per event when `events` is given);
// `--against`: instead, what it spent per event beyond a baseline profile (e.g. the bridge against raw starts, both
// from bench/bridge-ab.ts --profile), by area and function. docs/performance.md, "Where the time goes (profile)".
import fs from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The area a frame belongs to, from its script URL and name (first match wins). */
export function area(functionName: string, url: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    if (/^(stringify|parse)$/.test(functionName)) return 'JSON';
    return 'V8/native (program)';
  }
  if (url.includes('/@temporalio/')) return 'Temporal SDK';
  if (/delta-lake|parquet-wasm|apache-arrow|snappy/.test(url)) return 'Delta/Parquet';
  if (/\/observability\/log/.test(url)) return 'logging';
  if (/\/node_modules\/kafkajs\//.test(url)) return 'kafkajs';
  if (/\/node_modules\/prom-client\//.test(url)) return 'metrics (prom-client)';
  if (url.includes('/node_modules/')) return 'other dependencies';
  if (url.startsWith('node:')) return 'Node core (streams, http, fs, timers)';
  return 'our code';
}

export interface Row {
  readonly name: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

export interface ProfileSummary {
  readonly sampledMs: number;
  readonly areas: Row[];
  readonly functions: Row[];
  /** Our own scripts (area 'our code'), by the time under their functions. */
  readonly ourFiles: Row[];
}

const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)']);
const areaOf = (n: ProfileNode) => area(n.callFrame.functionName, n.callFrame.url);
const file = (n: ProfileNode) =>
  n.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(dist|src)\//, '$1/');
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${file(n)}:${n.callFrame.lineNumber + 1}`;

/**
 * The area a sample's time belongs to: its top frame's, except that a native function without a script (an fs or
 * worker-thread binding, a Temporal core call) counts for the nearest caller that has one.
 */
function selfArea(stack: readonly ProfileNode[]): string {
  const { functionName, url } = stack[0]!.callFrame;
  if (url !== '' || SPECIAL.has(functionName) || /^(stringify|parse)$/.test(functionName)) return areaOf(stack[0]!);
  const caller = stack.find((n) => n.callFrame.url !== '');
  return areaOf(caller ?? stack[0]!);
}

/**
 * Self time (the frame on top of the stack) and inclusive time (the frame anywhere on the stack, once per sample)
 * of each area, function and script of ours, from the samples' time deltas, in ms divided by `per`; only samples
 * taken inside `window` (µs on the profile's clock).
 */
export function summarise(
  profile: CpuProfile,
  per = 1,
  window: readonly [number, number] = [-Infinity, Infinity],
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const maps = () => ({ areas: new Map<string, number>(), functions: new Map<string, number>(), files: new Map() });
  const self = maps();
  const total = maps();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const ours = (n: ProfileNode) => areaOf(n) === 'our code';
  let sampled = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i]!;
    const us = profile.timeDeltas[i + 1] ?? 0; // a sample's time is the gap to the next one
    if (at < window[0] || at > window[1]) return;
    const stack: ProfileNode[] = [];
    for (let n = byId.get(id); n && n.callFrame.functionName !== '(root)'; n = byId.get(parent.get(n.id) ?? -1)) {
      stack.push(n);
    }
    if (stack.length === 0) return;
    sampled += us;
    add(self.areas, selfArea(stack), us);
    add(self.functions, label(stack[0]!), us);
    if (ours(stack[0]!)) add(self.files, file(stack[0]!), us);
    for (const a of new Set(stack.map(areaOf))) add(total.areas, a, us);
    for (const f of new Set(stack.map(label))) add(total.functions, f, us);
    for (const f of new Set(stack.filter(ours).map(file))) add(total.files, f, us);
  });
  const rows = (s: Map<string, number>, t: Map<string, number>): Row[] =>
    [...new Set([...s.keys(), ...t.keys()])]
      .map((name) => ({ name, selfMs: (s.get(name) ?? 0) / 1000 / per, totalMs: (t.get(name) ?? 0) / 1000 / per }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return {
    sampledMs: sampled / 1000 / per,
    areas: rows(self.areas, total.areas),
    functions: rows(self.functions, total.functions),
    ourFiles: rows(self.files, total.files).sort((a, b) => b.totalMs - a.totalMs),
  };
}

export interface Difference {
  readonly name: string;
  /** Self time of `profile` minus the baseline's (per event of each, as summarised). */
  readonly selfMs: number;
  readonly baseSelfMs: number;
}

/** Each row's self time against the baseline's row of the same name (missing rows count 0), largest excess first. */
export function difference(rows: readonly Row[], base: readonly Row[]): Difference[] {
  const before = new Map(base.map((r) => [r.name, r.selfMs]));
  const names = new Set([...rows.map((r) => r.name), ...before.keys()]);
  const now = new Map(rows.map((r) => [r.name, r.selfMs]));
  return [...names]
    .map((name) => ({
      name,
      selfMs: (now.get(name) ?? 0) - (before.get(name) ?? 0),
      baseSelfMs: before.get(name) ?? 0,
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

function printDifference(file: string, s: ProfileSummary, baseFile: string, base: ProfileSummary): void {
  const busy = (x: ProfileSummary) => x.sampledMs - (x.areas.find((r) => r.name === 'idle')?.selfMs ?? 0);
  console.log(
    `${file}: ${busy(s).toFixed(3)} ms/event busy; ${baseFile}: ${busy(base).toFixed(3)}; difference ${(busy(s) - busy(base)).toFixed(3)}`,
  );
  const table = (title: string, rows: Difference[]) => {
    console.log(`\n| ${title} | self ms/event beyond the baseline | baseline self ms/event |\n|---|---|---|`);
    for (const r of rows) console.log(`| ${r.name} | ${r.selfMs.toFixed(3)} | ${r.baseSelfMs.toFixed(3)} |`);
  };
  table(
    'area',
    difference(s.areas, base.areas).filter((r) => r.name !== 'idle'),
  );
  const top = Number(process.env.TOP ?? 25);
  table(
    `function (top ${top} by excess)`,
    difference(s.functions, base.functions)
      .filter((r) => r.name !== '(idle) :0')
      .slice(0, top),
  );
}

function main(): void {
  const args = process.argv.slice(2);
  const w = args.indexOf('--window'); // from-to, µs on the profile's clock (the bench prints the timed window's)
  const window = w >= 0 ? (args.splice(w, 2)[1]!.split('-').map(Number) as [number, number]) : undefined;
  const a = args.indexOf('--against'); // base.cpuprofile events
  const against = a >= 0 ? args.splice(a, 3).slice(1) : undefined;
  const [file, events] = args;
  if (!file || (against && (against.length < 2 || !events)))
    throw new Error(
      'usage: tsx bench/cpu-profile.ts <file.cpuprofile> [events] [--window from-to] [--against <base.cpuprofile> <events>]',
    );
  const per = events ? Number(events) : 1;
  const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as CpuProfile;
  const s = summarise(read(file), per, window);
  if (against) return printDifference(file, s, against[0]!, summarise(read(against[0]!), Number(against[1])));
  const unit = events ? 'ms/event' : 'ms';
  const table = (title: string, rows: Row[]) => {
    console.log(`\n| ${title} | self ${unit} | self % | inclusive ${unit} |\n|---|---|---|---|`);
    for (const r of rows) {
      const pct = ((100 * r.selfMs) / s.sampledMs).toFixed(1);
      console.log(`| ${r.name} | ${r.selfMs.toFixed(2)} | ${pct} | ${r.totalMs.toFixed(2)} |`);
    }
  };
  console.log(`${file}: ${s.sampledMs.toFixed(1)} ${unit} sampled`);
  table('area', s.areas);
  table('function (top 25 by self time)', s.functions.slice(0, Number(process.env.TOP ?? 25)));
  table('our script (by inclusive time)', s.ourFiles.slice(0, 15));
  table('function (top 25 by inclusive time)', [...s.functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, 25));
}

if (require.main === module) main();
