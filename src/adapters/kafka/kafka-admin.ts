import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kafkaConfig, type KafkaClientSettings } from './client-config';
import type { SocketFactory } from './kafka-sockets';

/** One partition's position: the group's committed offset (or the earliest retained one), the end, the lag. */
export interface PartitionLag {
  readonly partition: number;
  readonly committed: number | null;
  readonly from: number;
  readonly end: number;
  readonly lag: number;
}

/** A consumer group as the broker describes it. */
export interface GroupState {
  readonly state: string;
  readonly members: number;
}

/** What the pipeline asks of Kafka's admin API: reachability, topics, a group's state and lag. */
export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Resolves when the cluster answers (readiness). */
  ping(): Promise<void>;
  listTopics(): Promise<string[]>;
  /** The group's state (`Unknown`, no members, when the broker does not know it). */
  describeGroup(group: string): Promise<GroupState>;
  /** The group's lag on `topic`, per partition, in partition order. */
  readLag(topic: string, group: string): Promise<PartitionLag[]>;
}

/**
 * An admin client with the pipeline's connection settings; `retries` and `connectionTimeoutMs` bound kafkajs's own
 * retries (a CLI answers within seconds when Kafka is down).
 */
export function kafkaAdmin(
  config: KafkaClientSettings,
  opts: { retries?: number; connectionTimeoutMs?: number; socketFactory?: SocketFactory } = {},
): KafkaAdmin {
  const admin = new Kafka(
    kafkaConfig(config, {
      logLevel: logLevel.NOTHING,
      ...(opts.retries === undefined ? {} : { retry: { retries: opts.retries } }),
      ...(opts.connectionTimeoutMs === undefined ? {} : { connectionTimeout: opts.connectionTimeoutMs }),
      ...(opts.socketFactory ? { socketFactory: opts.socketFactory } : {}),
    }),
  ).admin();
  return {
    connect: () => admin.connect(),
    disconnect: () => admin.disconnect(),
    ping: async () => void (await admin.describeCluster()),
    listTopics: () => admin.listTopics(),
    describeGroup: async (group) => {
      const { groups } = await admin.describeGroups([group]);
      return { state: groups[0]?.state ?? 'Unknown', members: groups[0]?.members.length ?? 0 };
    },
    readLag: (topic, group) => readLag(admin, topic, group),
  };
}

/**
 * The consumer group's lag on `topic`, per partition, from the broker's offsets (end offset − committed offset; a
 * partition the group never committed counts from its earliest retained offset).
 */
async function readLag(admin: Admin, topic: string, group: string): Promise<PartitionLag[]> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: group, topics: [topic] }),
  ]);
  return ends
    .map((end) => {
      const c = committed?.partitions.find((p) => p.partition === end.partition); // none: never committed
      const known = c && Number(c.offset) >= 0 ? Number(c.offset) : null;
      const from = known ?? Number(end.low);
      return {
        partition: end.partition,
        committed: known,
        from,
        end: Number(end.high),
        lag: Math.max(0, Number(end.high) - from),
      };
    })
    .sort((a, b) => a.partition - b.partition);
}
