import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { kafkaConfig } from '../../src/adapters/kafka/client-config';
import { loadConfig } from '../../src/config/config';
import { connectTemporal } from '../../src/wiring/temporal';
import { ROOT, STACK_STATE } from './stack';

const run = promisify(execFile);

/** The cluster profile's state folder (scripts/cluster.sh: KP_STATE_DIR/cluster, else .state/cluster). */
export const CLUSTER_STATE = path.join(STACK_STATE, 'cluster');
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

/** Whether the cluster profile's Temporal server runs (scripts/cluster.sh status). */
export async function clusterRunning(): Promise<boolean> {
  const status = await run('bash', [CLUSTER_SCRIPT, 'status']);
  return /temporal-server\s+running/.test(status.stdout);
}

/**
 * The cluster profile, up (started by `scripts/cluster.sh up` when its Temporal server is not running; `up` is
 * idempotent, so it also runs when it is), and the pipeline's configuration for it (.state/cluster/pipeline.env).
 */
export function ensureCluster(): Promise<Record<string, string>> {
  ensured ??= (async () => {
    startedByTests = !(await clusterRunning());
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

/**
 * The environment of pipeline processes on the cluster, isolated per test as localPipelineEnv does on the dev stack:
 * topics `<domain>.events.<name>`, consumer groups and task queue `<name>`, a lakehouse folder of its own, attachments
 * from the local file server stand-in; `extra` adds or overrides keys.
 */
export function clusterPipelineEnv(
  cluster: Record<string, string>,
  name: string,
  lakehouse: string,
  extra: Record<string, string> = {},
): Record<string, string> & { XACT_EVENTS_TOPIC: string; CLAIMX_EVENTS_TOPIC: string; TEMPORAL_TASK_QUEUE: string } {
  return {
    ...cluster,
    XACT_EVENTS_TOPIC: `xact.events.${name}`,
    XACT_CONSUMER_GROUP: name,
    CLAIMX_EVENTS_TOPIC: `claimx.events.${name}`,
    CLAIMX_CONSUMER_GROUP: `${name}-claimx`,
    TEMPORAL_TASK_QUEUE: name,
    LAKEHOUSE_DIR: lakehouse,
    ALLOWED_ATTACHMENT_DOMAINS: '127.0.0.1',
    DOWNLOAD_HTTP_HOSTS: '127.0.0.1',
    DOWNLOAD_ALLOW_LOOPBACK: 'true',
    DELTA_COMMIT_INTERVAL_MS: '0',
    MAINTENANCE_SCHEDULES: 'false',
    ...extra,
  };
}

/**
 * Creates topics on the cluster (replication factor 3, the brokers' default) and waits until every partition has all
 * three replicas in sync. Retried while a broker that just came back still catches up on metadata.
 */
export async function createClusterTopics(kafka: Kafka, topics: readonly string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length > 0)
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
          });
        const meta = await admin.fetchTopicMetadata({ topics: [...topics] });
        if (
          meta.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.isr.length === 3))
        ) {
          // Every replica in sync on the broker asked does not mean the broker that answers DescribeConfigs (the
          // one kafkajs takes for the controller) knows the topic yet: it refused with "This server does not host
          // this topic-partition" once (CI, session 24). Ready when it answers too; a refusal is tried again.
          await admin.describeConfigs({
            includeSynonyms: false,
            resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
          });
          return;
        }
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} not fully in sync on 3 brokers`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Runs `scripts/cluster.sh <args>` (e.g. `stop kafka-2 --kill`, `up`) and returns its output. */
export async function clusterScript(...args: string[]): Promise<string> {
  const r = await run('bash', [CLUSTER_SCRIPT, ...args], { timeout: 300_000 });
  return r.stdout;
}

/** Each run's status (COMPLETED, FAILED, RUNNING, ...; NOT_STARTED when Temporal has no such workflow), in order. */
export function runStatuses(client: Client, workflowIds: readonly string[]): Promise<string[]> {
  return Promise.all(
    workflowIds.map((wf) =>
      client.workflow
        .getHandle(wf)
        .describe()
        .then((d) => d.status.name as string)
        .catch(() => 'NOT_STARTED'),
    ),
  );
}
