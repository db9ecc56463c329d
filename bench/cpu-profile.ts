// `npx tsx bench/cpu-profile.ts <file.cpuprofile> [events] [--window from-to]`: where a V8 CPU profile (node --cpu-prof) spent its time,
// by area (our code, Temporal SDK, Delta/Parquet, JSON, logging, GC, ...) and by function, self and inclusive, in
// milliseconds (per event when `events` is given). docs/performance.md, "Where the time goes (profile)".
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
}

const label = (n: ProfileNode) => {
  const file = n.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(dist|src)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
};

/**
 * Self time (the frame on top of the stack) and inclusive time (the frame anywhere on the stack, once per sample)
 * of each area and function, from the samples' time deltas, in ms divided by `per`.
 */
export function summarise(
  profile: CpuProfile,
  per = 1,
  window: readonly [number, number] = [-Infinity, Infinity],
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = { areas: new Map<string, number>(), functions: new Map<string, number>() };
  const total = { areas: new Map<string, number>(), functions: new Map<string, number>() };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let sampled = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i];
    const us = profile.timeDeltas[i + 1] ?? 0; // a sample's time is the gap to the next one
    if (at < window[0] || at > window[1]) return;
    sampled += us;
    const top = byId.get(id)!;
    add(self.areas, area(top.callFrame.functionName, top.callFrame.url), us);
    add(self.functions, label(top), us);
    const seenAreas = new Set<string>();
    const seenFunctions = new Set<string>();
    for (let n: ProfileNode | undefined = top; n; n = byId.get(parent.get(n.id) ?? -1)) {
      if (n.callFrame.functionName === '(root)') break;
      seenAreas.add(area(n.callFrame.functionName, n.callFrame.url));
      seenFunctions.add(label(n));
    }
    for (const a of seenAreas) add(total.areas, a, us);
    for (const f of seenFunctions) add(total.functions, f, us);
  });
  const rows = (s: Map<string, number>, t: Map<string, number>): Row[] =>
    [...t.keys()]
      .map((name) => ({ name, selfMs: (s.get(name) ?? 0) / 1000 / per, totalMs: (t.get(name) ?? 0) / 1000 / per }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return {
    sampledMs: sampled / 1000 / per,
    areas: rows(self.areas, total.areas),
    functions: rows(self.functions, total.functions),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const w = args.indexOf('--window'); // from-to, µs on the profile's clock (the bench prints the timed window's)
  const window = w >= 0 ? (args.splice(w, 2)[1].split('-').map(Number) as [number, number]) : undefined;
  const [file, events] = args;
  if (!file) throw new Error('usage: tsx bench/cpu-profile.ts <file.cpuprofile> [events] [--window from-to]');
  const per = events ? Number(events) : 1;
  const s = summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, per, window);
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
  table('function (top 25 by self time)', s.functions.slice(0, 25));
  table('function (top 25 by inclusive time)', [...s.functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, 25));
}

if (require.main === module) main();
