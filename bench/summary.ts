import type { EndToEnd } from './end-to-end';
import { cpuTotals, type Figure, round } from './figures';
import type { TemporalCeilings } from './temporal-ceilings';

/**
 * The `summary` of a bench result (bench/results/latest.json; SUMMARY_FIELDS and COST_FIELDS in figures.ts): the
 * end-to-end figures next to the same run's ceilings, and what one event costs.
 */
export function summarise(e2e: EndToEnd, ceilings: TemporalCeilings, bridge: Figure) {
  const cost = e2e.drain.cost ?? e2e.burst.cost;
  return {
    e2eEventsPerS: e2e.burst.eventsPerS,
    emptyWorkflowCeilingPerS: ceilings.emptyPerS,
    pipelineShapeCeilingPerS: ceilings.shapePerS,
    e2eRatio: e2e.burst.eventsPerS / ceilings.emptyPerS,
    burstEventsPerS: e2e.burst.eventsPerS,
    drainEventsPerS: e2e.drain.eventsPerS,
    drainRatio: e2e.drain.eventsPerS / e2e.burst.eventsPerS,
    latencyP95Ms: e2e.latency.p95,
    bridgeRatio: bridge.ratio ?? 0,
    workerPeakRssBurstMb: e2e.burst.workerPeakRssMb,
    perEvent: cost ?? null,
    // Issue 32 item 5: each measured in this run (tasks on the server's metrics, CPU from /proc).
    emptyWorkflowCeilingPipelineSettingsPerS: ceilings.emptyPipelineSettingsPerS,
    allLocalShapeCeilingPerS: ceilings.allLocalPerS,
    oneLocalStepCeilingPerS: ceilings.oneLocalPerS,
    perEventPersistenceWrites: cost?.persistenceWrites ?? null,
    perEventWorkflowTasks: cost?.workflowTasks ?? null,
    perEventActivityTasks: cost?.activityTasks ?? null,
    perEventHistoryEvents: cost?.historyEvents ?? null,
    perEventCloudActions: cost?.cloudActions ?? null,
    cpuMsPerEvent: cpuTotals(e2e.burst.cpuMsPerEvent),
    cpuMsPerEventDrain: cpuTotals(e2e.drain.cpuMsPerEvent),
    workerPeakRssDrainMb: e2e.drain.workerPeakRssMb,
    eagerStartHitRatio: e2e.combined.eagerStartHitRatio ?? null,
  };
}

export type Summary = ReturnType<typeof summarise>;

/** One profile's part of `npm run bench:cluster` (bench/cluster.ts). */
export interface ProfileRun {
  readonly profile: string;
  readonly historyShards: number;
  readonly seconds: number;
  readonly summary: Summary;
  readonly figures: Figure[];
}

/** The figures both profiles are compared by: name, unit, and how to read it from a summary. */
const COMPARED: readonly [string, string, (s: Summary) => number | null | undefined][] = [
  ['Temporal empty workflow (SDK default worker settings)', 'wf/s', (s) => s.emptyWorkflowCeilingPerS],
  ['pipeline shape, no-op steps, one local step', 'wf/s', (s) => s.oneLocalStepCeilingPerS],
  ['pipeline shape, no-op steps, three local steps', 'wf/s', (s) => s.allLocalShapeCeilingPerS],
  ['end to end, burst', 'events/s', (s) => s.e2eEventsPerS],
  ['end to end ÷ empty workflow (same profile)', 'ratio', (s) => s.e2eRatio],
  ['end to end, backlog', 'events/s', (s) => s.drainEventsPerS],
  ['latency p95 at half load', 'ms', (s) => s.latencyP95Ms],
  ['bridge ÷ raw starts', 'ratio', (s) => s.bridgeRatio],
  ['worker peak RSS, burst', 'MB', (s) => s.workerPeakRssBurstMb],
  ['CPU per event, all processes (burst)', 'ms', (s) => s.cpuMsPerEvent.total],
  ['… of it the worker', 'ms', (s) => s.cpuMsPerEvent.byProcess.worker],
  ['… of it the Temporal server', 'ms', (s) => s.cpuMsPerEvent.byProcess.temporal],
  ['… of it PostgreSQL', 'ms', (s) => s.cpuMsPerEvent.byProcess.database],
  ['… of it Kafka', 'ms', (s) => s.cpuMsPerEvent.byProcess.kafka],
  ['persistence writes per event', 'writes', (s) => s.perEventPersistenceWrites],
  ['combined process: eager starts', 'share', (s) => s.eagerStartHitRatio],
];

/** The two profiles side by side as a markdown table (bench/cluster.ts prints it; docs/performance.md shows it). */
export function comparison(dev: ProfileRun, cluster: ProfileRun): string {
  const cell = (v: number | null | undefined) =>
    v === null || v === undefined ? '' : String(round(v, v < 10 ? 2 : 1));
  const rows = COMPARED.map(([name, unit, pick]) => {
    const [a, b] = [pick(dev.summary), pick(cluster.summary)];
    const ratio = a && b !== null && b !== undefined ? String(round(b / a, 2)) : '';
    return `| ${name} | ${unit} | ${cell(a)} | ${cell(b)} | ${ratio} |`;
  });
  const shards = (n: number) => `${n} shard${n === 1 ? '' : 's'}`;
  return [
    `| figure | unit | dev server (${shards(dev.historyShards)}) | cluster (${shards(cluster.historyShards)}) | cluster ÷ dev |`,
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
