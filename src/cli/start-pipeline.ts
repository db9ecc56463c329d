// `kafka-pipeline start`: the local stack, the worker and the bridge (and with --demo, sample traffic).
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaConfig } from '../config/connections';
import type { Config } from '../config/config';
import { processLogger, type Logger } from '../observability/logger';
import { sampleEvent } from '../sample/sample-events';
import { startSampleServer } from '../sample/sample-server';
import { WORKER_NODE_OPTIONS } from '../worker/node-options';
import { runStackScript, stackServerRunning } from './stack';
import { cliConfig } from './cli-config';
import { ensureCompiled } from './ensure-compiled';
import { startStatusLine } from './status-line';
import { supervise } from './supervise';

export interface StartOptions {
  keepStack?: boolean;
  demo?: boolean;
}

export const DEMO_SAMPLE_PORT = 8765;
const DEMO_INTERVAL_MS = 2_000;
/** How often `npm start` prints its status line. */
const STATUS_INTERVAL_MS = 5_000;

export async function startPipeline(opts: StartOptions): Promise<number> {
  const config = cliConfig();
  const log = processLogger('start', config);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stackWasUp = stackServerRunning('temporal') || stackServerRunning('kafka');
  let stopDemo = async (): Promise<void> => undefined;
  let stopStatus = (): void => undefined;
  try {
    await Promise.all([runStackScript('up'), ensureCompiled(log)]);
    if (stop.signal.aborted) return 0;
    // Both processes serve /metrics; on one machine the worker takes the port after the bridge's.
    const workerEnv: Record<string, string> = {
      METRICS_PORT: String(config.metricsPort === 0 ? 0 : config.metricsPort + 1),
      NODE_OPTIONS: [process.env.NODE_OPTIONS, WORKER_NODE_OPTIONS].filter(Boolean).join(' '),
    };
    if (opts.demo) {
      stopDemo = await startDemo(config, log);
      // The sample server is on loopback over http: allowed for this run only, explicitly.
      Object.assign(workerEnv, {
        ALLOWED_ATTACHMENT_DOMAINS: [...config.allowedAttachmentDomains, '127.0.0.1'].join(','),
        DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
        DOWNLOAD_ALLOW_LOOPBACK: 'true',
      });
    }
    log.info('starting worker and bridge; Ctrl-C stops them', {
      temporal_ui: config.temporalUiUrl,
      lakehouse: config.lakehouseDir,
    });
    const compiled = { KP_RUN_COMPILED: '1' };
    if (config.metricsPort !== 0) {
      const metrics = (port: number) => `http://127.0.0.1:${port}/metrics`;
      stopStatus = startStatusLine(
        { bridge: metrics(config.metricsPort), worker: metrics(config.metricsPort + 1) },
        log,
        STATUS_INTERVAL_MS,
      );
    }
    return await supervise(
      [
        { cmd: 'bridge', env: compiled },
        { cmd: 'worker', env: { ...workerEnv, ...compiled } },
      ],
      log,
      stop.signal,
    );
  } finally {
    stopStatus();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopDemo();
    if (!stackWasUp && !opts.keepStack) await runStackScript('down');
  }
}

/** The sample file server plus a trickle of sample events, so a newcomer sees files and rows appear. */
async function startDemo(config: Config, log: Logger): Promise<() => Promise<void>> {
  const server = await startSampleServer({ port: DEMO_SAMPLE_PORT });
  const producer = new Kafka(
    kafkaConfig(config, { clientId: `${config.kafkaClientId}-demo`, logLevel: logLevel.NOTHING }),
  ).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let i = 0;
  const timer = setInterval(() => {
    const event = sampleEvent(i++, { sampleUrl: server.url, attachments: 1 + (i % 3), failRate: 0.05 });
    producer
      .send({ topic: config.eventsTopic, messages: [{ key: String(event.traceId), value: JSON.stringify(event) }] })
      .catch((err: unknown) => log.warn('demo: producing a sample event failed', { error: String(err) }));
  }, DEMO_INTERVAL_MS);
  log.info('demo: sample file server and a sample event every 2 s', { sample_server: server.url });
  return async () => {
    clearInterval(timer);
    await Promise.allSettled([producer.disconnect(), server.close()]);
  };
}
