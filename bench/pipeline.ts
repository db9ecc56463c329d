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
export async function endToEnd(backlog: number, windowS: number): Promise<{ figures: Figure[]; maxRate: number }> {
  const h = await PipelineHarness.start({ DELTA_FLUSH_MS: '1000', LOG_LEVEL: 'error' }, { bridge: false });
  try {
    const traces = Array.from({ length: backlog }, (_, i) => `drain-${h.topic}-${i}`);
    await h.produceEvents(traces.map((t, i) => event(h, t, i)));
    const t0 = performance.now();
    await h.startBridge();
    const drained = await waitCompleted(h, backlog, 30 * 60_000);
    const drainS = (performance.now() - t0) / 1000;
    const maxRate = drained / drainS;

    // Half load: paced producer, produce time recorded per event.
    const rate = Math.max(1, maxRate / 2);
    const total = Math.round(rate * windowS);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const producedAt = new Map<string, number>();
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const traceId = `lat-${h.topic}-${i}`;
      producedAt.set(xactWorkflowId(traceId), Date.now());
      await producer.send({
        topic: h.topic,
        messages: [{ key: traceId, value: JSON.stringify(event(h, traceId, i)) }],
      });
    }
    await producer.disconnect();
    await waitCompleted(h, backlog + total, 10 * 60_000);
    const latencies: number[] = [];
    for await (const info of h.client.workflow.list({
      query: `TaskQueue = '${h.config.taskQueue}' AND ExecutionStatus = 'Completed'`,
    })) {
      const at = producedAt.get(info.workflowId);
      if (at !== undefined && info.closeTime) latencies.push(info.closeTime.getTime() - at);
    }
    latencies.sort((a, b) => a - b);
    const log = (table: string) =>
      fs.readdirSync(path.join(h.tablePath(table as 'events'), '_delta_log')).filter((f) => f.endsWith('.json')).length;
    const events = backlog + total;
    const figures: Figure[] = [
      {
        section: 'end to end',
        name: `drain ${backlog} queued events`,
        value: drainS,
        unit: 's',
        note: `${Math.round(maxRate)} events/s, 1 x 100 KB attachment each`,
      },
      {
        section: 'end to end',
        name: 'max sustained rate (drain)',
        value: maxRate,
        unit: 'events/s',
        target: '>= 100 (moonshot 300)',
      },
      {
        section: 'end to end',
        name: `latency p50 at ${Math.round(rate)}/s`,
        value: percentile(latencies, 50),
        unit: 'ms',
        note: `${latencies.length} events over ${windowS} s`,
      },
      {
        section: 'end to end',
        name: `latency p95 at ${Math.round(rate)}/s`,
        value: percentile(latencies, 95),
        unit: 'ms',
        target: '<= 2000',
      },
      {
        section: 'end to end',
        name: `latency p99 at ${Math.round(rate)}/s`,
        value: percentile(latencies, 99),
        unit: 'ms',
      },
      {
        section: 'delta',
        name: 'xact_attachments commits per 10,000 events',
        value: (log('attachments') * 10_000) / events,
        unit: 'commits',
        note: 'group commit, DELTA_FLUSH_MS=1000 (default)',
      },
      {
        section: 'delta',
        name: 'xact_events commits per 10,000 events',
        value: (log('events') * 10_000) / events,
        unit: 'commits',
      },
    ];
    return { figures, maxRate };
  } finally {
    await h.stop();
    await terminateQueue(h.config.taskQueue);
  }
}
