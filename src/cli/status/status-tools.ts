import type { Connection } from '@temporalio/client';
import { latestCommit } from '@kafka-pipeline/delta-lake';
import { kafkaAdmin, type PartitionLag } from '../../adapters/kafka/kafka-admin';
import { allBridgeDomains, type BridgeDomain } from '../../bridge/domains';
import { connectTemporal } from '../../wiring/temporal';
import type { Config } from '../../config/config';
import { maintainedTables } from '../../maintenance/tables';
import { dlqTables } from '../../config/settings';
import { createObjectStore } from '../../wiring/object-store';
import { DlqService, type DlqStats } from '../../dlq/dlq-service';
import { maintenanceStatus, type MaintenanceTargetStatus } from '../../maintenance/schedule-status';
import { scrape, type Sample } from '../../observability/scrape';
import { queryString } from '../../shared/visibility-query';
import { stackServerRunning } from '../common/stack';

/** What `kafka-pipeline status` reports: one read of every part of the pipeline. */
export interface PipelineStatus {
  readonly checkedAt: string;
  /** The servers stack.sh runs, when Temporal and Kafka are on this machine (null otherwise). */
  readonly localStack: { readonly temporal: boolean; readonly kafka: boolean } | null;
  readonly temporal: Reach;
  readonly kafka: Reach;
  /** The consumer group of the domain BRIDGE_DOMAIN names (xact by default). */
  readonly consumer: ConsumerStatus | null;
  /** The other domains' groups that are in use (a member, or committed offsets), e.g. claimx under `npm start`. */
  readonly otherDomains?: readonly ConsumerStatus[];
  readonly workflows: { readonly open: number; readonly startedLastMinute: number } | null;
  readonly dlq: DlqStats | null;
  readonly processes: readonly ProcessStatus[];
  readonly tables: readonly TableStatus[];
  /** The maintenance schedules (null: Temporal could not be read). */
  readonly maintenance?: readonly MaintenanceTargetStatus[] | null;
}

export interface Reach {
  readonly address: string;
  readonly reachable: boolean;
  readonly error?: string;
}

export interface ConsumerStatus {
  readonly topic: string;
  readonly group: string;
  readonly state: string;
  readonly members: number;
  readonly totalLag: number;
  readonly partitions: readonly PartitionLag[];
}

export interface ProcessStatus {
  readonly name: 'bridge' | 'worker' | 'dlq-monitor';
  readonly url: string;
  /** null: the process did not answer. */
  readonly ready: boolean | null;
  readonly problems: readonly string[];
  /** Breaker component → closed | open | half-open, from its /metrics. */
  readonly breakers: Readonly<Record<string, string>>;
}

export interface TableStatus {
  readonly name: string;
  readonly path: string;
  readonly version: number | null;
  readonly lastCommitAt: string | null;
  readonly ageSeconds: number | null;
}

const BREAKER_STATES = ['closed', 'open', 'half-open'];
const PROBE_TIMEOUT_MS = 3_000;

/** Reads everything at once; a part that cannot be read is reported as such, never thrown. */
export async function collectStatus(
  config: Config,
  urls: { bridge: string; worker: string; dlqMonitor: string },
  now = new Date(),
): Promise<PipelineStatus> {
  const local = /^(127\.0\.0\.1|localhost):/.test(config.temporalAddress);
  const [temporalPart, kafkaPart, processes, tables] = await Promise.all([
    temporalStatus(config, now),
    kafkaStatus(config),
    Promise.all([
      processStatus('bridge', urls.bridge),
      processStatus('worker', urls.worker),
      processStatus('dlq-monitor', urls.dlqMonitor),
    ]),
    tableStatus(config, now),
  ]);
  return {
    checkedAt: now.toISOString(),
    localStack: local ? { temporal: stackServerRunning('temporal'), kafka: stackServerRunning('kafka') } : null,
    ...temporalPart,
    ...kafkaPart,
    processes,
    tables,
  };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

async function temporalStatus(
  config: Config,
  now: Date,
): Promise<Pick<PipelineStatus, 'temporal' | 'workflows' | 'dlq' | 'maintenance'>> {
  const address = config.temporalAddress;
  let connection: Connection | undefined;
  try {
    const temporal = await connectTemporal(config, { connectTimeout: '5s' });
    connection = temporal.connection;
    const client = temporal.client;
    const queue = `TaskQueue = ${queryString(config.taskQueue)}`;
    const minuteAgo = new Date(now.getTime() - 60_000).toISOString();
    const dlq = new DlqService(
      client,
      config.temporalNamespace,
      config.temporalUiUrl,
      createObjectStore(config),
      dlqTables(config),
    );
    const [open, started, stats, maintenance] = await Promise.all([
      client.workflow.count(`${queue} AND ExecutionStatus = 'Running'`),
      client.workflow.count(`${queue} AND StartTime > ${queryString(minuteAgo)}`),
      dlq.stats(),
      maintenanceStatus(client, config),
    ]);
    return {
      temporal: { address, reachable: true },
      workflows: { open: open.count, startedLastMinute: started.count },
      dlq: stats,
      maintenance,
    };
  } catch (err) {
    const unreachable = { address, reachable: false, error: message(err) };
    return { temporal: unreachable, workflows: null, dlq: null, maintenance: null };
  } finally {
    await connection?.close();
  }
}

async function kafkaStatus(config: Config): Promise<Pick<PipelineStatus, 'kafka' | 'consumer' | 'otherDomains'>> {
  const address = config.kafkaBrokers.join(',');
  const admin = kafkaAdmin(config, { retries: 1, connectionTimeoutMs: PROBE_TIMEOUT_MS });
  try {
    await admin.connect();
  } catch (err) {
    return { kafka: { address, reachable: false, error: message(err) }, consumer: null };
  }
  try {
    const [configured, ...others] = allBridgeDomains(config); // BRIDGE_DOMAIN=claimx: the claimx topic and group first
    const topics = new Set(await admin.listTopics());
    const read = async (d: BridgeDomain): Promise<ConsumerStatus> => {
      const [partitions, { state, members }] = await Promise.all([
        admin.readLag(d.topic, d.group),
        admin.describeGroup(d.group),
      ]);
      return {
        topic: d.topic,
        group: d.group,
        state,
        members,
        totalLag: partitions.reduce((n, p) => n + p.lag, 0),
        partitions,
      };
    };
    const inUse = (c: ConsumerStatus) => c.members > 0 || c.partitions.some((p) => p.committed !== null);
    const otherDomains = (await Promise.all(others.filter((d) => topics.has(d.topic)).map(read))).filter(inUse);
    if (!topics.has(configured.topic)) {
      return {
        kafka: { address, reachable: true, error: `topic ${configured.topic} does not exist` },
        consumer: null,
        otherDomains,
      };
    }
    return { kafka: { address, reachable: true }, consumer: await read(configured), otherDomains };
  } catch (err) {
    return { kafka: { address, reachable: true, error: message(err) }, consumer: null };
  } finally {
    await admin.disconnect();
  }
}

async function processStatus(name: ProcessStatus['name'], base: string): Promise<ProcessStatus> {
  const root = base.replace(/\/+$/, '');
  const [ready, samples] = await Promise.all([readiness(`${root}/health/ready`), scrape(`${root}/metrics`)]);
  return { name, url: root, ready: ready?.ready ?? null, problems: ready?.problems ?? [], breakers: breakers(samples) };
}

async function readiness(url: string): Promise<{ ready: boolean; problems: string[] } | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await res.json().catch(() => ({}))) as { problems?: unknown };
    const problems = Array.isArray(body.problems) ? body.problems.map(String) : [];
    return { ready: res.status === 200, problems };
  } catch {
    return null;
  }
}

function breakers(samples: readonly Sample[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of samples ?? []) {
    if (s.name !== 'kafka_circuit_breaker_state') continue;
    out[s.labels.component ?? '?'] = BREAKER_STATES[s.value] ?? String(s.value);
  }
  return out;
}

async function tableStatus(config: Config, now: Date): Promise<TableStatus[]> {
  const store = createObjectStore(config);
  const tables = [...maintainedTables(config).values()].map(({ name, path }) => ({ name, path }));
  return Promise.all(
    tables.map(async (t) => {
      const c = await latestCommit(store, t.path).catch(() => null);
      const at = c?.timestamp ?? null;
      return {
        ...t,
        version: c?.version ?? null,
        lastCommitAt: at === null ? null : new Date(at).toISOString(),
        ageSeconds: at === null ? null : Math.max(0, Math.round((now.getTime() - at) / 1000)),
      };
    }),
  );
}
