import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaConfig } from '../../src/adapters/kafka/client-config';
import { loadConfig } from '../../src/config/config';
import { connectTemporal } from '../../src/wiring/temporal';
import { ROOT } from './stack';

const run = promisify(execFile);

/** The cluster profile's state folder (scripts/cluster.sh: KP_STATE_DIR/cluster, else .state/cluster). */
export const CLUSTER_STATE = path.join(process.env.KP_STATE_DIR ?? path.join(ROOT, '.state'), 'cluster');
const CLUSTER_SCRIPT = path.join(ROOT, 'scripts', 'cluster.sh');

let ensured: Promise<Record<string, string>> | undefined;
let startedByTests = false;

/** KEY=VALUE lines of an env file (comments and blank lines skipped, one pair of surrounding quotes removed). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/**
 * The cluster profile, up (started by `scripts/cluster.sh up` when its Temporal server is not running; `up` is
 * idempotent, so it also runs when it is), and the pipeline's configuration for it (.state/cluster/pipeline.env).
 */
export function ensureCluster(): Promise<Record<string, string>> {
  ensured ??= (async () => {
    const status = await run('bash', [CLUSTER_SCRIPT, 'status']);
    startedByTests = !/temporal-server\s+running/.test(status.stdout);
    await run('bash', [CLUSTER_SCRIPT, 'up'], { timeout: 900_000 });
    return parseEnvFile(fs.readFileSync(path.join(CLUSTER_STATE, 'pipeline.env'), 'utf8'));
  })();
  return ensured;
}

export async function stopClusterIfStartedByTests(): Promise<void> {
  if (startedByTests && process.env.KP_KEEP_STACK !== '1') await run('bash', [CLUSTER_SCRIPT, 'down']);
}

/** A kafkajs client of the cluster, built from the pipeline's configuration keys (SASL_SSL, the cluster's CA). */
export const clusterKafka = (env: Record<string, string>, clientId = 'cluster-test'): Kafka =>
  new Kafka(kafkaConfig(loadConfig(env), { clientId, logLevel: logLevel.NOTHING }));

/** The pipeline's Temporal client on the cluster (mTLS), as the processes build it. */
export const clusterTemporal = (env: Record<string, string>) => connectTemporal(loadConfig(env));
