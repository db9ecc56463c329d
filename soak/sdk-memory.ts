/**
 * Diagnostic (issue 31): does the Temporal SDK's worker alone, without the pipeline's code, grow its memory with
 * the number of workflows run? Runs `--count` no-op workflows of `--shape` (the bench's ceiling workflows) through
 * one in-process worker against the Temporal server at `--address`, samples this process every 2 s (with a GC first
 * when node runs with --expose-gc) and prints RSS, native memory (RSS minus heap and external) and heap used, each
 * with its slope after the first fifth (soak/memory.ts):
 *   NODE_OPTIONS=--expose-gc MALLOC_ARENA_MAX=2 npx tsx soak/sdk-memory.ts --count 40000 --shape local3
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { mapBounded } from '../src/shared/bounded';
import { choiceArg, numberArg, textArg } from './args';
import { summarise } from './memory';
import type { RssSample } from './rss';

/** `--shape`: which of bench/bench-workflows.ts runs, with its arguments. */
const SHAPES = {
  local3: { type: 'benchAllLocalShape', args: [] },
  mixed: { type: 'benchPipelineShape', args: [] },
  empty: { type: 'benchNoop', args: [0] },
} as const;

async function main(): Promise<void> {
  const count = numberArg('count', 20_000);
  const cache = numberArg('cache', 1000);
  const reuse = choiceArg('reuse', ['true', 'false']) === 'true';
  const shape = choiceArg('shape', ['local3', 'mixed', 'empty']);
  const address = textArg('address', '127.0.0.1:7233');
  Runtime.install({ shutdownSignals: [] });
  const queue = `sdkmem-${randomUUID().slice(0, 8)}`;
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    taskQueue: queue,
    workflowsPath: require.resolve('../bench/bench-workflows'),
    activities: { noop: async () => undefined },
    reuseV8Context: reuse,
    maxCachedWorkflows: cache,
  });
  const run = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const series: Record<'rss' | 'native' | 'heapUsed', RssSample[]> = { rss: [], native: [], heapUsed: [] };
  const t0 = Date.now();
  let done = 0;
  const timer = setInterval(() => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const t = (Date.now() - t0) / 1000;
    series.rss.push({ t, bytes: m.rss });
    series.native.push({ t, bytes: m.rss - m.heapTotal - m.external });
    series.heapUsed.push({ t, bytes: m.heapUsed });
    if (series.rss.length % 15 === 0) {
      const mb = (b: number) => Math.round(b / 2 ** 20);
      console.log(`${Math.round(t)} s ${done} wf: rss ${mb(m.rss)} MB, heap used ${mb(m.heapUsed)} MB`);
    }
  }, 2000);
  try {
    const { type, args } = SHAPES[shape];
    await mapBounded(
      Array.from({ length: count }, (_, i) => i),
      64,
      async (i) => {
        await client.workflow.execute(type, { taskQueue: queue, workflowId: `${queue}-${i}`, args: [...args] });
        done++;
      },
    );
  } finally {
    clearInterval(timer);
    worker.shutdown();
    await run;
    await native.close();
    await connection.close();
  }
  const seconds = (Date.now() - t0) / 1000;
  const memory = Object.fromEntries(Object.entries(series).map(([k, s]) => [k, summarise(s)]));
  console.log(JSON.stringify({ count, reuse, cache, shape, seconds: Math.round(seconds), memory }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
