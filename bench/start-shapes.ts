// `npx tsx bench/start-shapes.ts [--count 1500] [--rounds 8] [--only raw,bridge,...]`: what in the bridge's start
// request costs the Temporal server. Variants of one start (below) at 64 in flight (BRIDGE_MAX_IN_FLIGHT) on one fresh
// dev server, interleaved and every other round backwards; each run's starts/s and the server's CPU ms per start
// (/proc/<pid>/stat), then per variant the median and mean of its ratios to the raw starts of the same round.
// docs/performance.md, "Session 24: what separates the bridge from raw starts". Run it in a network namespace.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { bridgeDomain } from '../src/bridge/domains';
import { startOptions } from '../src/bridge/workflow-starter';
import { loadConfig } from '../src/config/config';
import type { StartRequest } from '../src/domains/start-request';
import { sampleEvent } from '../src/domains/xact/sample';
import { mapBounded } from '../src/shared/bounded';
import { SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { cpuSeconds } from './figures';
import { devServerSettings, startServer } from './temporal-server';

const arg = (f: string, d: string) => (process.argv.includes(f) ? process.argv[process.argv.indexOf(f) + 1]! : d);
const count = Number(arg('--count', '1500'));
const rounds = Number(arg('--rounds', '8'));

type Start = (client: Client, req: StartRequest, queue: string, i: number) => Promise<unknown>;

/**
 * The bridge's start options (src/bridge/workflow-starter.ts's startOptions, without its deadline) with parts of the
 * request replaced; an empty summary is left out rather than sent empty.
 */
const bridgeStart =
  (change: (req: StartRequest) => Partial<Pick<StartRequest, 'args' | 'searchAttributes' | 'summary'>>): Start =>
  (client, req, taskQueue) => {
    const r = { ...req, ...change(req) };
    const { staticSummary, ...options } = startOptions(taskQueue, r);
    return client.workflow.start(r.workflowType, { ...options, ...(staticSummary ? { staticSummary } : {}) });
  };

const VARIANTS: Record<string, Start> = {
  raw: (client, _req, taskQueue, i) =>
    client.workflow.start('benchNoop', { taskQueue, workflowId: `${taskQueue}-${i}`, args: [0] }),
  bridge: bridgeStart(() => ({})),
  noSearchAttributes: bridgeStart(() => ({ searchAttributes: new TypedSearchAttributes([]) })),
  onlyDomain: bridgeStart((req) => ({
    searchAttributes: new TypedSearchAttributes([
      { key: SEARCH_ATTRIBUTES.domain, value: req.searchAttributes.get(SEARCH_ATTRIBUTES.domain) ?? '' },
    ]),
  })),
  noSummary: bridgeStart(() => ({ summary: '' })),
  noRawJson: bridgeStart((req) => ({ args: [{ ...req.args[0], rawJson: '' }] as StartRequest['args'] })),
};

async function main() {
  const names = arg('--only', Object.keys(VARIANTS).join(',')).split(',');
  if (!names.includes('raw') || new Set(names).size !== names.length || names.some((n) => !Object.hasOwn(VARIANTS, n)))
    throw new Error(`--only: raw and some of ${Object.keys(VARIANTS).join(', ')}`);
  const server = await startServer(devServerSettings());
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const config = loadConfig({ TEMPORAL_ADDRESS: server.address, METRICS_PORT: '0' });
  const toStart = bridgeDomain(config).toStart;
  const ratios: Record<string, { rate: number; serverCpu: number }[]> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      const measured: Record<string, { rate: number; serverCpu: number }> = {};
      for (const name of round % 2 ? [...names].reverse() : names) {
        const queue = `shapes-${name}-${randomUUID().slice(0, 8)}`;
        const requests = Array.from({ length: count }, (_, j) => {
          const traceId = `${queue}-${j}`;
          const value = Buffer.from(
            JSON.stringify(sampleEvent(j, { sampleUrl: 'http://127.0.0.1:1', attachments: 1, traceId })),
          );
          return toStart(config, config.eventsTopic, 0, {
            key: Buffer.from(traceId),
            value,
            offset: String(j),
            timestamp: String(Date.now()),
          });
        });
        const cpu0 = cpuSeconds(server.pid!);
        const t0 = performance.now();
        await mapBounded(requests, 64, (req, i) => VARIANTS[name]!(client, req, queue, i));
        const rate = count / ((performance.now() - t0) / 1000);
        const serverCpu = ((cpuSeconds(server.pid!) - cpu0) * 1000) / count;
        measured[name] = { rate, serverCpu };
        console.log(
          JSON.stringify({ round, name, startsPerS: +rate.toFixed(1), serverCpuMsPerStart: +serverCpu.toFixed(2) }),
        );
      }
      const raw = measured.raw!;
      for (const [name, m] of Object.entries(measured))
        (ratios[name] ??= []).push({ rate: m.rate / raw.rate, serverCpu: m.serverCpu / raw.serverCpu });
    }
  } finally {
    await connection.close();
    await server.stop();
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return (s[Math.floor((s.length - 1) / 2)]! + s[Math.floor(s.length / 2)]!) / 2;
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [name, rs] of Object.entries(ratios)) {
    const rate = rs.map((r) => r.rate);
    const cpu = rs.map((r) => r.serverCpu);
    console.log(
      `${name}: rate ÷ raw median ${median(rate).toFixed(3)} mean ${mean(rate).toFixed(3)}; ` +
        `server CPU ÷ raw median ${median(cpu).toFixed(3)} mean ${mean(cpu).toFixed(3)}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
