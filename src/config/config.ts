import { z } from 'zod';
import { hostPort, hostPortList, key, type KeySpec, listenAddress, nonEmpty, port, positiveInt } from './schemas';
import { CLAIMX_KEYS } from './claimx-keys';
import { CONNECTION_KEYS, connectionProblems } from './connection-keys';
import { MAINTENANCE_KEYS } from './maintenance-keys';
import { RESILIENCE_KEYS } from './resilience-keys';
import { STORAGE_KEYS, storageProblems } from './storage-keys';
import { TRANSFER_KEYS } from './transfer-keys';

/**
 * One validated configuration object, built from the environment by a pure function.
 * Every key has a default that fits the local stack (`npm run stack:up`) and one line of help.
 */
export const CONFIG_KEYS = {
  kafkaBrokers: key(
    'KAFKA_BROKERS',
    '127.0.0.1:9092',
    'Kafka bootstrap servers, comma-separated host:port',
    hostPortList,
  ),
  kafkaClientId: key('KAFKA_CLIENT_ID', 'kafka-pipeline', 'Kafka client id', nonEmpty),
  eventsTopic: key('XACT_EVENTS_TOPIC', 'xact.events.raw', 'Topic the bridge consumes xact events from', nonEmpty),
  consumerGroup: key('XACT_CONSUMER_GROUP', 'xact-event-ingester', 'Consumer group of the bridge', nonEmpty),
  temporalAddress: key('TEMPORAL_ADDRESS', '127.0.0.1:7233', 'Temporal frontend gRPC address host:port', hostPort),
  temporalNamespace: key('TEMPORAL_NAMESPACE', 'default', 'Temporal namespace', nonEmpty),
  taskQueue: key(
    'TEMPORAL_TASK_QUEUE',
    'kafka-pipeline',
    'Task queue of the pipeline workflows and activities',
    nonEmpty,
  ),
  temporalUiUrl: key('TEMPORAL_UI_URL', 'http://127.0.0.1:8233', 'Temporal Web UI base URL, used in links', z.url()),
  dlqOperator: key(
    'DLQ_OPERATOR',
    '',
    'Who runs dlq replay/resolve, for the audit log, when --operator is not given (empty: the OS user)',
    z.string(),
  ),
  dlqAuditTable: key(
    'DLQ_AUDIT_TABLE',
    'Tables/pipeline_dlq_audit',
    'Delta table (in the lakehouse) of the audit records of dlq replay/resolve',
    nonEmpty,
  ),
  dlqArchiveTable: key(
    'DLQ_ARCHIVE_TABLE',
    'Tables/pipeline_dlq',
    'Delta table (in the lakehouse) archiving every DLQ entry and state change, kept past Temporal retention',
    nonEmpty,
  ),
  dlqArchiveFilesPrefix: key(
    'DLQ_ARCHIVE_FILES_PREFIX',
    'Files/pipeline/dlq-archive',
    'Folder (in the lakehouse) of the archived inputs of failed runs, what a replay from the archive starts',
    nonEmpty,
  ),
  metricsPort: key('METRICS_PORT', '8000', 'Port of /metrics and /health/* (0 = pick a free port)', port),
  metricsHost: key(
    'METRICS_HOST',
    '0.0.0.0',
    'IP address /metrics, /health/* and the SDK metrics listen on: 0.0.0.0 so kubelet and Prometheus reach a pod or container; 127.0.0.1 keeps them on the host',
    listenAddress,
  ),
  ...STORAGE_KEYS,
  ...CONNECTION_KEYS,
  ...RESILIENCE_KEYS,
  ...CLAIMX_KEYS,
  ...MAINTENANCE_KEYS,
  ...TRANSFER_KEYS,
  bridgeMaxInFlight: key(
    'BRIDGE_MAX_IN_FLIGHT',
    '64',
    'Workflow starts the bridge has outstanding at once',
    positiveInt,
  ),
  bridgePartitionsConcurrently: key(
    'BRIDGE_PARTITIONS_CONCURRENTLY',
    '6',
    'Partitions the bridge handles in parallel',
    positiveInt,
  ),
  workerMaxConcurrentActivities: key(
    'WORKER_MAX_CONCURRENT_ACTIVITIES',
    '32',
    'Activities one worker runs at once',
    positiveInt,
  ),
  workerMaxCachedWorkflows: key(
    'WORKER_MAX_CACHED_WORKFLOWS',
    '1000',
    'Open workflows one worker keeps in memory between their tasks (keep >= BRIDGE_MAX_OPEN_WORKFLOWS)',
    positiveInt,
  ),
  workerMaxConcurrentWorkflowTasks: key(
    'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
    '80',
    'Workflow tasks one worker runs at once (each holds its slot through the local transfer chain)',
    z.coerce.number().int().min(2),
  ),
  workerWorkflowThreads: key(
    'WORKER_WORKFLOW_THREADS',
    '1',
    'Threads that run workflow code in one worker (each with its own reused sandbox)',
    positiveInt,
  ),
  logLevel: key('LOG_LEVEL', 'info', 'Log level: debug, info, warn, error', z.enum(['debug', 'info', 'warn', 'error'])),
  logFormat: key(
    'LOG_FORMAT',
    'auto',
    'Log lines as json, or console (one readable line each); auto = console on a terminal, json otherwise',
    z.enum(['auto', 'json', 'console']),
  ),
} as const;

type Keys = typeof CONFIG_KEYS;
export type Config = { readonly [K in keyof Keys]: Keys[K] extends KeySpec<infer T> ? T : never };

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from `env` (default: process.env). Throws ConfigError with one line per problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(CONFIG_KEYS) as [string, KeySpec<unknown>][]) {
    const raw = env[spec.env];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) out[name] = parsed.data;
    else {
      const shown = spec.secret ? '***' : JSON.stringify(value);
      problems.push(`${spec.env}=${shown}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
  }
  if (problems.length === 0)
    for (const p of [...storageProblems(out as Config), ...connectionProblems(out as Config)]) problems.push(p);
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Config;
}

/**
 * The configuration as `config check` prints it: secrets that are set are replaced by "***", and so are the user
 * info, query values and fragment of every URL in it (an endpoint can carry credentials: https://user:pass@host, a SAS
 * token).
 */
export function maskedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_KEYS) as [keyof Config, KeySpec<unknown>][]) {
    const value = config[name];
    out[name] = spec.secret && value !== '' ? '***' : typeof value === 'string' ? maskedUrl(value) : value;
  }
  return out;
}

/** A URL with its user name, password, query values and fragment replaced by "***"; any other text as it is. */
export function maskedUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/[^/?#]*@/, '//***@').replace(/\?.*$/s, '?***');
  }
  if (!url.username && !url.password && !url.search && !url.hash) return text;
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  const names = [...new Set(url.searchParams.keys())];
  url.search = names.map((n) => `${encodeURIComponent(n)}=***`).join('&');
  if (url.hash) url.hash = '***';
  return url.toString();
}

/** One line per key: name, default, help. */
export function configHelp(): string[] {
  return Object.values(CONFIG_KEYS).map(
    (k: KeySpec<unknown>) => `${k.env} (default ${JSON.stringify(k.default)}): ${k.help}`,
  );
}
