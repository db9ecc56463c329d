import fs from 'node:fs';
import path from 'node:path';
import { Partitioners } from 'kafkajs';
import { xactWorkflowId } from '../src/shared/pipeline-types';
import { sampleEvent } from '../src/sample/sample-events';
import { PipelineHarness } from '../test/support/pipeline-harness';
import { kafka, terminateQueue } from './ceilings';
import { type Figure, percentile } from './figures';

const ATTACHMENT_BYTES = 100 * 1024;

function event(h: PipelineHarness, traceId: string, i: number): Record<string, unknown> {
  return { ...sampleEvent(i, { sampleUrl: h.sample.url, attachments: 1, bytes: ATTACHMENT_BYTES }), traceId };
}

/** Counts runs of the harness' task queue that completed (visibility), polled until `n` or the deadline. */
async function waitCompleted(h: PipelineHarness, n: number, timeoutMs: number): Promise<number> {
  const query = `TaskQueue = '${h.config.taskQueue}' AND ExecutionStatus = 'Completed'`;
  const deadline = Date.now() + timeoutMs;
  let done = 0;
  while ((done = (await h.client.workflow.count(query)).count) < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return done;
}

/**
 * 4 + 7. End to end on the real stack (bridge + worker in this process, sample server, local lakehouse, Delta on):
 * the drain rate of a backlog (the maximum sustained rate), then latency from produce to workflow completed (the
 * inventory row is committed before the workflow completes) at half that rate for `windowS` seconds.
 */
export async function endToEnd(
  backlog: number,
  windowS: number,
  drainCapS: number,
): Promise<{ figures: Figure[]; maxRate: number }> {
  const drain = await drainBacklog(backlog, drainCapS);
  const latency = await latencyAt(Math.max(1, drain.maxRate / 2), windowS);
  return { figures: [...drain.figures, ...latency], maxRate: drain.maxRate };
}

/** A backlog produced before the bridge starts, then drained; capped, the rest extrapolated from the rate. */
async function drainBacklog(backlog: number, capS: number): Promise<{ figures: Figure[]; maxRate: number }> {
  const h = await PipelineHarness.start({ DELTA_FLUSH_MS: '1000', LOG_LEVEL: 'error' }, { bridge: false });
  try {
    const traces = Array.from({ length: backlog }, (_, i) => `drain-${h.topic}-${i}`);
    await h.produceEvents(traces.map((t, i) => event(h, t, i)));
    const t0 = performance.now();
    await h.startBridge();
    const drained = await waitCompleted(h, backlog, capS * 1000);
    const drainS = (performance.now() - t0) / 1000;
    const maxRate = drained / drainS;
    const commits = (table: 'events' | 'attachments') =>
      fs.readdirSync(path.join(h.tablePath(table), '_delta_log')).filter((f) => f.endsWith('.json')).length;
    const note = (table: 'events' | 'attachments') =>
      `${commits(table)} commits for ${drained} events in ${drainS.toFixed(0)} s (DELTA_FLUSH_MS=1000, default)`;
    return {
      maxRate,
      figures: [
        {
          section: 'end to end',
          name: `drain ${backlog} queued events`,
          value: drained >= backlog ? drainS : backlog / maxRate,
          unit: 's',
          note:
            drained >= backlog
              ? `${maxRate.toFixed(1)} events/s, 1 x 100 KB attachment each`
              : `EXTRAPOLATED: ${drained} drained within the ${capS} s cap (${maxRate.toFixed(1)} events/s)`,
        },
        {
          section: 'end to end',
          name: 'max sustained rate (drain)',
          value: maxRate,
          unit: 'events/s',
          target: '>= 100 (moonshot 300)',
        },
        {
          section: 'delta',
          name: 'xact_events commits per 10,000 events',
          value: (commits('events') * 10_000) / drained,
          unit: 'commits',
          note: note('events'),
        },
        {
          section: 'delta',
          name: 'xact_attachments commits per 10,000 events',
          value: (commits('attachments') * 10_000) / drained,
          unit: 'commits',
          note: note('attachments'),
        },
      ],
    };
  } finally {
    await h.stop();
    await terminateQueue(h.config.taskQueue);
  }
}

/** Latency from produce to workflow completed (inventory row committed before it) at a paced rate. */
async function latencyAt(rate: number, windowS: number): Promise<Figure[]> {
  const h = await PipelineHarness.start({ DELTA_FLUSH_MS: '1000', LOG_LEVEL: 'error' });
  try {
    const total = Math.round(rate * windowS);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const producedAt = new Map<string, number>();
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now())); // pacing
      const traceId = `lat-${h.topic}-${i}`;
      producedAt.set(xactWorkflowId(traceId), Date.now());
      await producer.send({
        topic: h.topic,
        messages: [{ key: traceId, value: JSON.stringify(event(h, traceId, i)) }],
      });
    }
    await producer.disconnect();
    await waitCompleted(h, total, 10 * 60_000);
    const latencies: number[] = [];
    for await (const info of h.client.workflow.list({
      query: `TaskQueue = '${h.config.taskQueue}' AND ExecutionStatus = 'Completed'`,
    })) {
      const at = producedAt.get(info.workflowId);
      if (at !== undefined && info.closeTime) latencies.push(info.closeTime.getTime() - at);
    }
    latencies.sort((a, b) => a - b);
    const at = `at ${rate.toFixed(0)}/s`;
    return [
      {
        section: 'end to end',
        name: `latency p50 ${at}`,
        value: percentile(latencies, 50),
        unit: 'ms',
        note: `${latencies.length} of ${total} events over ${windowS} s, half the drain rate`,
      },
      {
        section: 'end to end',
        name: `latency p95 ${at}`,
        value: percentile(latencies, 95),
        unit: 'ms',
        target: '<= 2000',
      },
      { section: 'end to end', name: `latency p99 ${at}`, value: percentile(latencies, 99), unit: 'ms' },
    ];
  } finally {
    await h.stop();
    await terminateQueue(h.config.taskQueue);
  }
}
