import { z } from 'zod';

/**
 * One validated configuration object, built from the environment by a pure function.
 * Every key has a default that fits the local stack (`npm run stack:up`) and one line of help.
 */
interface KeySpec<T> {
  readonly env: string;
  readonly default: string;
  readonly help: string;
  readonly schema: z.ZodType<T>;
  readonly secret?: boolean;
}

const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port');
const hostPortList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
  )
  .pipe(z.array(hostPort).min(1, 'expected at least one host:port'));
const port = z.coerce.number().int().min(0).max(65535);
const nonEmpty = z.string().trim().min(1, 'must not be empty');

function key<T>(env: string, def: string, help: string, schema: z.ZodType<T>): KeySpec<T> {
  return { env, default: def, help, schema };
}

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
  metricsPort: key('METRICS_PORT', '8000', 'Port of /metrics and /health/* (0 = pick a free port)', port),
  lakehouseDir: key(
    'LAKEHOUSE_DIR',
    './lakehouse',
    'Local lakehouse folder (Files/ and Tables/) when OneLake is not configured',
    nonEmpty,
  ),
  logLevel: key('LOG_LEVEL', 'info', 'Log level: debug, info, warn, error', z.enum(['debug', 'info', 'warn', 'error'])),
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
    else problems.push(`${spec.env}=${JSON.stringify(value)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Config;
}

/** One line per key: name, default, help. */
export function configHelp(): string[] {
  return Object.values(CONFIG_KEYS).map(
    (k: KeySpec<unknown>) => `${k.env} (default ${JSON.stringify(k.default)}): ${k.help}`,
  );
}
