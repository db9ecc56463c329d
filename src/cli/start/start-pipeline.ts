// `kafka-pipeline start`: the local stack, the worker, a bridge per domain and the DLQ monitor (and with --demo,
// sample traffic).
import { kafkaProducer } from '../../adapters/kafka/kafka-producer';
import type { Config } from '../../config/config';
import { domains } from '../../domains/registry';
import { processLogger, type Logger } from '../../observability/logger';
import { PROCESS_MALLOC_ENV, PROCESS_NODE_OPTIONS } from '../../worker/node-options';
import { runStackScript, stackServerRunning } from '../common/stack';
import { cliConfig } from '../common/cli-config';
import { PORT_AFTER_BRIDGE } from '../common/local-ports';
import { ensureCompiled } from '../common/ensure-compiled';
import { startStatusLine } from './status-line';
import { type ChildSpec, supervise } from './supervise';

export interface StartOptions {
  keepStack?: boolean;
  demo?: boolean;
}

export const DEMO_SAMPLE_PORT = 8765;
export const DEMO_CLAIMX_API_PORT = 8766;
const DEMO_CLAIMX_TOKEN = 'demo-standin';
const DEMO_INTERVAL_MS = 2_000;
/** How often `npm start` prints its status line. */
const STATUS_INTERVAL_MS = 5_000;
/** How often `start` checks that the process that started it (npm, a shell) is still there. */
const PARENT_CHECK_MS = 1_000;

/**
 * The processes `start` supervises, as the deployment runs them: the worker, a bridge per domain and one DLQ monitor,
 * each compiled; `workerEnv` adds to the worker's environment (the demo's download settings).
 */
export function pipelineProcesses(config: Config, workerEnv: Readonly<Record<string, string>> = {}): ChildSpec[] {
  const port = (after: number) => String(config.metricsPort === 0 ? 0 : config.metricsPort + after);
  const compiled = {
    KP_RUN_COMPILED: '1',
    ...PROCESS_MALLOC_ENV,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, PROCESS_NODE_OPTIONS].filter(Boolean).join(' '),
  };
  const worker = { METRICS_PORT: port(PORT_AFTER_BRIDGE.worker), ...workerEnv };
  return [
    { cmd: 'bridge', env: compiled },
    {
      cmd: 'bridge',
      env: { BRIDGE_DOMAIN: 'claimx', METRICS_PORT: port(PORT_AFTER_BRIDGE.claimxBridge), ...compiled },
    },
    { cmd: 'worker', env: { ...worker, ...compiled } },
    { cmd: 'dlq-monitor', env: { METRICS_PORT: port(PORT_AFTER_BRIDGE.dlqMonitor), ...compiled } },
  ];
}

export async function startPipeline(opts: StartOptions): Promise<number> {
  const config = cliConfig();
  const log = processLogger('start', config);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopWhenOrphaned = watchParent(log, () => stop.abort());
  const stackWasUp = stackServerRunning('temporal') || stackServerRunning('kafka');
  let stopDemo = async (): Promise<void> => undefined;
  let stopStatus = (): void => undefined;
  try {
    await Promise.all([runStackScript('up'), ensureCompiled(log)]);
    if (stop.signal.aborted) return 0;
    const workerEnv: Record<string, string> = {};
    if (opts.demo) {
      stopDemo = await startDemo(config, log);
      // The sample server is on loopback over http: allowed for this run only, explicitly.
      Object.assign(workerEnv, {
        ALLOWED_ATTACHMENT_DOMAINS: [...config.allowedAttachmentDomains, '127.0.0.1'].join(','),
        DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
        DOWNLOAD_ALLOW_LOOPBACK: 'true',
        // The claimx events of the demo are enriched by the local ClaimX API stand-in.
        CLAIMX_API_URL: `http://127.0.0.1:${DEMO_CLAIMX_API_PORT}`,
        CLAIMX_API_TOKEN: DEMO_CLAIMX_TOKEN,
      });
    }
    log.info('starting worker, bridges and DLQ monitor; Ctrl-C stops them', {
      temporal_ui: config.temporalUiUrl,
      lakehouse: config.lakehouseDir,
    });
    if (config.metricsPort !== 0) {
      const metrics = (after: number) => `http://127.0.0.1:${config.metricsPort + after}/metrics`;
      stopStatus = startStatusLine(
        {
          bridge: metrics(0),
          worker: metrics(PORT_AFTER_BRIDGE.worker),
          otherBridges: [metrics(PORT_AFTER_BRIDGE.claimxBridge)],
          dlqMonitor: metrics(PORT_AFTER_BRIDGE.dlqMonitor),
        },
        log,
        STATUS_INTERVAL_MS,
      );
    }
    return await supervise(pipelineProcesses(config, workerEnv), log, stop.signal);
  } finally {
    stopWhenOrphaned();
    stopStatus();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopDemo();
    if (!stackWasUp && !opts.keepStack) await runStackScript('down');
  }
}

/**
 * Calls `orphaned` once the process that started this one has exited. `npm start` runs this command through a shell
 * (`sh -c`); npm passes SIGTERM on to that shell, which exits without passing it on, so without this check `start`,
 * the worker and the bridges would keep running, reparented. Returns the function that stops watching.
 */
function watchParent(log: Logger, orphaned: () => void): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    log.info('the process that started this one has exited (e.g. npm was stopped); stopping', { parent_pid: parent });
    orphaned();
  }, PARENT_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The file server and ClaimX API stand-ins (dev/, loaded only here), plus a trickle of sample events (each domain in
 * turn), so a newcomer sees files and rows appear.
 */
async function startDemo(config: Config, log: Logger): Promise<() => Promise<void>> {
  const { startFileServerStandin } = await import('../../../dev/file-server-standin');
  const { startClaimxApiStandin } = await import('../../../dev/claimx-api-standin');
  const server = await startFileServerStandin({ port: DEMO_SAMPLE_PORT });
  const api = await startClaimxApiStandin({ token: DEMO_CLAIMX_TOKEN, port: DEMO_CLAIMX_API_PORT });
  const producer = kafkaProducer(config, { clientId: `${config.kafkaClientId}-demo` });
  await producer.connect();
  const all = domains();
  let i = 0;
  const timer = setInterval(() => {
    const n = i++;
    const domain = all[n % all.length]; // each domain in turn
    if (!domain) return; // none registered: nothing to produce
    const event = domain.sample.event(n, {
      sampleUrl: server.url,
      attachments: () => 1 + (n % 3),
      failRate: 0.05,
      bytes: 20_000,
    });
    producer
      .send(domain.source(config).topic, [{ key: domain.sample.key(event), value: JSON.stringify(event) }])
      .catch((err: unknown) => log.warn('demo: producing a sample event failed', { error: String(err) }));
  }, DEMO_INTERVAL_MS);
  log.info('demo: sample file server, ClaimX API stand-in, and a sample event (xact, then claimx) every 2 s', {
    sample_server: server.url,
    claimx_api_standin: api.url,
  });
  return async () => {
    clearInterval(timer);
    await Promise.allSettled([producer.disconnect(), server.close(), api.close()]);
  };
}
