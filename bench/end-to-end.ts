import type { FileServerStandin } from '../dev/file-server-standin';
import { loadConfig } from '../src/config/config';
import type { TemporalCeilings } from './temporal-ceilings';
import { cpuTotals, type Figure, step } from './figures';
import { ATTACHMENT_BYTES, backlogRun, latencyAt, type RunFigures, type PerEventCost } from './pipeline';

export interface EndToEnd {
  readonly burst: RunFigures & { cost?: PerEventCost };
  /** The same burst through one combined process (`kafka-pipeline run`, eager workflow start). */
  readonly combined: RunFigures;
  readonly drain: RunFigures & { cost?: PerEventCost };
  readonly latency: { p50: number; p95: number; p99: number; measured: number; total: number };
  readonly figures: Figure[];
}

/** The worker's peak RSS through a run, next to its RSS when idle, against the 300 MB. */
const workerRssFigure = (name: string, run: RunFigures, note: string): Figure => ({
  section: 'memory',
  name,
  value: run.workerPeakRssMb,
  unit: 'MB',
  baseline: { name: 'idle RSS MB', value: run.workerIdleRssMb },
  target: '<= 300',
  note,
});

/**
 * The pipeline end to end (compiled worker and bridge processes, defaults as shipped): a burst of `burst` events,
 * a backlog of `drain` events (back-pressure keeps it in Kafka), then latency at half the burst rate.
 */
export async function endToEnd(
  sample: FileServerStandin,
  size: { burst: number; drain: number; drainCap: number; window: number },
  ceilings: TemporalCeilings,
): Promise<EndToEnd> {
  const burst = await step(`burst of ${size.burst}`, () => backlogRun(sample, size.burst, 600));
  const combined = await step(`burst of ${size.burst}, combined process`, () =>
    backlogRun(sample, size.burst, 600, { combined: true }),
  );
  const drain = await step(`backlog of ${size.drain}`, () => backlogRun(sample, size.drain, size.drainCap));
  // BENCH_BASELINE_ROOT: a checkout of an older commit, built (npm run build there); its compiled processes run
  // the same burst on the same server, for a before/after in one run.
  const baselineRoot = process.env.BENCH_BASELINE_ROOT;
  const before = baselineRoot
    ? await step(`burst of ${size.burst}, ${baselineRoot}`, () =>
        backlogRun(sample, size.burst, 600, { root: baselineRoot }),
      )
    : undefined;
  const half = Math.max(1, burst.eventsPerS / 2);
  const latency = await step('latency at half load', () => latencyAt(sample, half, size.window));
  const defaults = loadConfig({});
  const attachment = `1 x ${ATTACHMENT_BYTES / 1024} KB attachment each`;
  const runNote = (r: RunFigures) =>
    `${r.done} of ${r.events} done in ${r.seconds.toFixed(0)} s (${r.failed} failed), ${attachment}; ` +
    'compiled worker + bridge processes, timed from the first start';
  const figures: Figure[] = [
    {
      section: 'end to end',
      name: `burst of ${size.burst} queued events`,
      value: burst.eventsPerS,
      unit: 'events/s',
      baseline: { name: 'empty workflow wf/s', value: ceilings.emptyPerS },
      ratio: burst.eventsPerS / ceilings.emptyPerS,
      target: 'ratio >= 0.5 and >= 40 events/s',
      note: runNote(burst),
    },
    {
      section: 'end to end',
      name: `burst of ${size.burst}, against the pipeline shape with no-op steps`,
      value: burst.eventsPerS,
      unit: 'events/s',
      baseline: { name: 'pipeline shape wf/s', value: ceilings.shapePerS },
      ratio: burst.eventsPerS / ceilings.shapePerS,
      note: 'what the real work (download, file, Delta rows) costs on top of Temporal',
    },
    {
      section: 'end to end',
      name: `backlog of ${size.drain} queued events`,
      value: drain.eventsPerS,
      unit: 'events/s',
      baseline: { name: 'burst events/s', value: burst.eventsPerS },
      ratio: drain.eventsPerS / burst.eventsPerS,
      target: 'ratio >= 0.9',
      note:
        (drain.done < drain.events ? `CAPPED at ${size.drainCap} s: ` : '') +
        `${runNote(drain)}; BRIDGE_MAX_OPEN_WORKFLOWS=${defaults.bridgeMaxOpenWorkflows} (default)`,
    },
    {
      section: 'end to end',
      name: `latency p95 at ${half.toFixed(0)}/s (half the burst rate)`,
      value: latency.p95,
      unit: 'ms',
      target: '<= 1000',
      note: `p50 ${latency.p50} ms, p99 ${latency.p99} ms; ${latency.measured} of ${latency.total} events over ${size.window} s; produce -> run completed (inventory row committed)`,
    },
    workerRssFigure(
      `worker peak RSS during the burst of ${size.burst}`,
      burst,
      `compiled worker, PROCESS_NODE_OPTIONS; backlog of ${size.drain}: ${drain.workerPeakRssMb.toFixed(0)} MB; bridge ${burst.bridgePeakRssMb.toFixed(0)} / ${drain.bridgePeakRssMb.toFixed(0)} MB`,
    ),
    workerRssFigure(
      `worker peak RSS through the backlog of ${size.drain}`,
      drain,
      'compiled worker, PROCESS_NODE_OPTIONS; sampled every 50 ms from its start to the last run',
    ),
  ];
  const eagerPct = ((combined.eagerStartHitRatio ?? 0) * 100).toFixed(0);
  figures.push(
    {
      section: 'end to end',
      name: `burst of ${size.burst}, combined process (eager start)`,
      value: combined.eventsPerS,
      unit: 'events/s',
      baseline: { name: 'separate processes events/s', value: burst.eventsPerS },
      ratio: combined.eventsPerS / burst.eventsPerS,
      note: `${combined.done} of ${combined.events} done in ${combined.seconds.toFixed(0)} s (${combined.failed} failed), ${attachment}; one compiled \`kafka-pipeline run\` process, ${eagerPct} % of starts eager`,
    },
    {
      section: 'memory',
      name: `combined process peak RSS during the burst of ${size.burst}`,
      value: combined.workerPeakRssMb,
      unit: 'MB',
      baseline: { name: 'separate worker + bridge peak MB', value: burst.workerPeakRssMb + burst.bridgePeakRssMb },
      note: `idle ${combined.workerIdleRssMb.toFixed(0)} MB; PROCESS_NODE_OPTIONS; separate: worker ${burst.workerPeakRssMb.toFixed(0)} MB, bridge ${burst.bridgePeakRssMb.toFixed(0)} MB`,
    },
  );
  const cpu = (r: RunFigures) =>
    Object.entries(r.cpuMsPerEvent)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ');
  figures.push({
    section: 'per event',
    name: 'CPU per event by process during the burst (ms)',
    value: cpuTotals(burst.cpuMsPerEvent).total,
    unit: 'ms',
    note: `${cpu(burst)}; backlog: ${cpu(drain)}`,
  });
  figures.push({
    section: 'per event',
    name: 'Delta commits per 1,000 events (backlog)',
    value: drain.commitsPer1000.events,
    unit: 'commits',
    note: `xact_events ${drain.commitsPer1000.events.toFixed(0)}, xact_attachments ${drain.commitsPer1000.attachments.toFixed(0)}; burst: ${burst.commitsPer1000.events.toFixed(0)} / ${burst.commitsPer1000.attachments.toFixed(0)}; DELTA_COMMIT_INTERVAL_MS=${defaults.deltaCommitIntervalMs} (default)`,
  });
  if (before) {
    figures.push({
      section: 'end to end',
      name: `burst of ${size.burst}, the code of ${baselineRoot} (before)`,
      value: before.eventsPerS,
      unit: 'events/s',
      baseline: { name: 'this code events/s', value: burst.eventsPerS },
      ratio: burst.eventsPerS / before.eventsPerS,
      note: `${runNote(before)}; its defaults; worker peak ${before.workerPeakRssMb.toFixed(0)} MB; CPU ${cpu(before)}`,
    });
  }
  const cost = drain.cost ?? burst.cost;
  if (cost) {
    figures.push({
      section: 'per event',
      name: 'Temporal cost of one event (one attachment)',
      value: cost.persistenceWrites,
      unit: 'persistence writes',
      note:
        `${cost.workflowTasks.toFixed(2)} workflow tasks, ${cost.activityTasks.toFixed(2)} activity tasks, ` +
        `${cost.historyEvents.toFixed(1)} history events, ${cost.cloudActions.toFixed(2)} Temporal Cloud actions; tasks and writes counted on the server's metrics over the ` +
        `backlog run, history events the mean of ${cost.sample.runs} completed runs (their histories: ` +
        `${cost.sample.workflowTasks.toFixed(2)} workflow tasks, ${cost.sample.activityTasks.toFixed(2)} activity tasks)`,
    });
  }
  return { burst, combined, drain, latency, figures };
}
