/**
 * Diagnostic: does the Temporal SDK worker alone (no pipeline code) grow its RSS with the number of workflows run?
 * Runs `--count` no-op workflows of `--shape` through one in-process worker and samples RSS every 2 s.
 *   npx tsx soak/sdk-memory.ts --count 20000 --reuse true --cache 1000 --shape local3
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { mapBounded } from '../src/shared/bounded';
import { rssSlope, type RssSample } from './rss';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

async function main(): Promise<void> {
  const count = Number(arg('count', '20000'));
  const reuse = arg('reuse', 'true') === 'true';
  const cache = Number(arg('cache', '1000'));
  const shape = arg('shape', 'local3');
  const address = arg('address', '127.0.0.1:7233');
  Runtime.install({ shutdownSignals: [] });
  const queue = `sdkmem-${randomUUID().slice(0, 8)}`;
  const nconn = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nconn,
    taskQueue: queue,
    workflowsPath: require.resolve('./sdk-memory-workflows'),
    activities: { noop: async () => undefined },
    reuseV8Context: reuse,
    maxCachedWorkflows: cache,
  });
  const run = worker.run();
  const conn = await Connection.connect({ address });
  const client = new Client({ connection: conn });
  const samples: RssSample[] = [];
  const native: RssSample[] = [];
  const heap: RssSample[] = [];
  const t0 = Date.now();
  let done = 0;
  const timer = setInterval(() => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const t = (Date.now() - t0) / 1000;
    samples.push({ t, bytes: m.rss });
    native.push({ t, bytes: m.rss - m.heapTotal - m.external });
    heap.push({ t, bytes: m.heapUsed });
    if (samples.length % 15 === 0) {
      const mb = (b: number) => Math.round(b / 2 ** 20);
      console.log(
        `${Math.round(t)} s ${done} wf rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} native ${mb(m.rss - m.heapTotal - m.external)} MB`,
      );
    }
  }, 2000);
  await mapBounded(
    Array.from({ length: count }, (_, i) => i),
    64,
    async (i) => {
      await client.workflow.execute(shape, { taskQueue: queue, workflowId: `${queue}-${i}` });
      done++;
    },
  );
  clearInterval(timer);
  const secs = (Date.now() - t0) / 1000;
  const tail = samples.slice(Math.floor(samples.length / 5));
  const first = tail[0]?.bytes ?? 0;
  const last = samples[samples.length - 1]?.bytes ?? 0;
  console.log(
    JSON.stringify({
      count,
      reuse,
      cache,
      shape,
      seconds: Math.round(secs),
      wfPerS: +(count / secs).toFixed(1),
      rssStartMB: Math.round(first / 2 ** 20),
      rssEndMB: Math.round(last / 2 ** 20),
      slopeMBh: Math.round(rssSlope(tail)),
      nativeSlopeMBh: Math.round(rssSlope(native.slice(Math.floor(native.length / 5)))),
      heapUsedSlopeMBh: Math.round(rssSlope(heap.slice(Math.floor(heap.length / 5)))),
      kbPerWorkflowAfterFifth: +((last - first) / 1024 / (count * 0.8)).toFixed(2),
    }),
  );
  worker.shutdown();
  await run;
  await nconn.close();
  await conn.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
