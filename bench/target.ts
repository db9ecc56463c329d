/**
 * The stack a bench section measures: the dev profile (a fresh Temporal dev server the bench starts, the stack's
 * Kafka broker) or the cluster profile (scripts/cluster.sh: Temporal on PostgreSQL with mTLS, three SASL_SSL
 * brokers). A target is the pipeline's own configuration keys for that stack, so every client the bench builds and
 * every process it starts connects exactly as the pipeline does (no bench-only connection code).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { NativeConnection } from '@temporalio/worker';
import { kafkaConfig } from '../src/adapters/kafka/client-config';
import { loadConfig, type Config } from '../src/config/config';
import { connectTemporal, temporalConnectionOptions } from '../src/wiring/temporal';
import { CLUSTER_STATE } from '../test/support/cluster';
import { KAFKA_BROKER, STACK_STATE, TEMPORAL_ADDRESS } from '../test/support/stack';
import { procStat } from './figures';

/** CPU is charged to these groups of processes (bench/rig.ts cpuSnapshot). */
export interface TargetPids {
  readonly temporal: readonly number[];
  /** The cluster's PostgreSQL (postmaster and its backends); none on the dev server (SQLite inside it). */
  readonly database: readonly number[];
  readonly kafka: readonly number[];
}

export interface BenchTarget {
  readonly profile: 'dev server' | 'cluster';
  /** The pipeline's configuration keys that reach this stack (TEMPORAL_*, KAFKA_*); every bench process gets them. */
  readonly env: Readonly<Record<string, string>>;
  /** The Temporal server's Prometheus page (persistence writes and tasks per event). */
  readonly metricsUrl: string;
  readonly pids: () => TargetPids;
}

/** The pid in a pid file (first line), or none when the file is missing. */
function pidFile(file: string): number[] {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? [pid] : [];
  } catch {
    return [];
  }
}

/** A process and its direct children (PostgreSQL forks one backend per connection). */
function withChildren(pids: readonly number[]): number[] {
  if (pids.length === 0) return [];
  const parents = new Set(pids);
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return parents.has(Number(procStat(Number(d))[1]));
      } catch {
        return false;
      }
    })
    .map(Number);
  return [...pids, ...children];
}

/** The dev profile: a Temporal dev server (the bench's own, or the stack's) and the stack's single broker. */
export function devTarget(server?: { address: string; metricsUrl: string; pid: number | undefined }): BenchTarget {
  return {
    profile: 'dev server',
    env: { TEMPORAL_ADDRESS: server?.address ?? TEMPORAL_ADDRESS, KAFKA_BROKERS: KAFKA_BROKER },
    metricsUrl: server?.metricsUrl ?? 'http://127.0.0.1:9233/metrics',
    pids: () => ({
      temporal: server?.pid ? [server.pid] : pidFile(path.join(STACK_STATE, 'temporal', 'pid')),
      database: [],
      kafka: pidFile(path.join(STACK_STATE, 'kafka', 'pid')),
    }),
  };
}

/** The cluster profile, from the keys `scripts/cluster.sh up` wrote (.state/cluster/pipeline.env). */
export function clusterTarget(pipelineEnv: Readonly<Record<string, string>>): BenchTarget {
  // The pipeline's keys only (not TEMPORAL_CLI_ARGS, which is for the shell scripts).
  const env = Object.fromEntries(
    Object.entries(pipelineEnv).filter(([k]) => /^(TEMPORAL|KAFKA)_/.test(k) && k !== 'TEMPORAL_CLI_ARGS'),
  );
  return {
    profile: 'cluster',
    env,
    metricsUrl: 'http://127.0.0.1:9333/metrics', // scripts/cluster.sh SERVER_METRICS_PORT
    pids: () => ({
      temporal: pidFile(path.join(CLUSTER_STATE, 'temporal', 'pid')),
      database: withChildren(pidFile(path.join(CLUSTER_STATE, 'postgres', 'data', 'postmaster.pid'))),
      kafka: [1, 2, 3].flatMap((n) => pidFile(path.join(CLUSTER_STATE, `kafka-${n}`, 'pid'))),
    }),
  };
}

let current: BenchTarget = devTarget();
let kafkaOf: { target: BenchTarget; kafka: Kafka } | undefined;

/** The target every bench section uses until the next useTarget. */
export const benchTarget = (): BenchTarget => current;

export function useTarget(target: BenchTarget): void {
  current = target;
}

/** The pipeline's configuration for the target (its keys on top of the defaults). */
export const targetConfig = (target = current): Config => loadConfig({ ...target.env });

/** A Temporal client of the target as the pipeline builds one (address, TLS, namespace, data converter). */
export const targetClient = (target = current) => connectTemporal(targetConfig(target));

/** A worker's connection to the target's Temporal (for in-process bench workers). */
export const targetNativeConnection = (target = current): Promise<NativeConnection> =>
  NativeConnection.connect(temporalConnectionOptions(targetConfig(target)));

/** The bench's kafkajs client of the target (TLS and SASL as the pipeline's), built once per target. */
export function targetKafka(): Kafka {
  if (kafkaOf?.target !== current) {
    kafkaOf = {
      target: current,
      kafka: new Kafka(kafkaConfig(targetConfig(), { clientId: 'bench', logLevel: logLevel.NOTHING })),
    };
  }
  return kafkaOf.kafka;
}
