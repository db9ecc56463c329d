import { type ISocketFactory, Kafka, logLevel } from 'kafkajs';
import { WakeableDelay } from '../../shared/wakeable-delay';
import { kafkaConfig, type KafkaClientSettings, type KafkaLog } from './client-config';

/**
 * Removes the group member a crashed consumer leaves behind, so a rejoin is assigned partitions at once.
 *
 * When every broker is unreachable, kafkajs's consumer crashes ("no broker available"), cannot leave its group,
 * and restarts as a new member. Once the broker is back, the group coordinator still holds the old member and
 * assigns partitions only when that member's session has expired (10 s after the broker's return). The bridge
 * knows its old member id, so it asks the coordinator to remove it (LeaveGroup, the request a consumer sends when
 * it stops), retrying until the broker answers: the rejoin then completes within about a second.
 *
 * kafkajs has no public call for a LeaveGroup on behalf of another member; this uses its internal cluster client
 * (kafkajs is pinned to an exact version; test/unit/adapters/kafka/stale-member.test.ts fails if that client moves). Without it,
 * the session timeout still bounds the wait.
 */
export class StaleMemberEvictor {
  private current?: string;
  private stale?: string;
  private stopped = false;
  private loop?: Promise<void>;
  private readonly delay = new WakeableDelay();
  private readonly createCluster?: () => InternalCluster;

  constructor(
    config: KafkaClientSettings,
    private readonly groupId: string,
    private readonly log: KafkaLog,
    private readonly retryMs = 250,
    socketFactory?: ISocketFactory,
  ) {
    // Its own client that never retries by itself: the loop below retries, and stop() ends it at once. Its sockets
    // come from the bridge's factory, so the bridge closes any this client leaves open (see KafkaSockets).
    const kafka = new Kafka(
      kafkaConfig(config, {
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 1_000,
        ...(socketFactory ? { socketFactory } : {}),
      }),
    );
    this.createCluster = internalClusterFactory(kafka);
    if (!this.createCluster) {
      log.warn('kafkajs has no internal cluster client: a consumer restart waits for the session timeout');
    }
  }

  /** The consumer joined (or rejoined) the group as `memberId`; a member left over from before is gone by then. */
  joined(memberId: string): void {
    this.current = memberId;
    this.stale = undefined;
  }

  /** The consumer crashed: the member it was is removed as soon as the coordinator answers. */
  crashed(): void {
    if (!this.current || this.stopped) return;
    this.stale = this.current;
    this.current = undefined;
    void this.running();
  }

  /** Removes `memberId` from the group; resolves once it is removed or unknown to the coordinator. */
  async evict(memberId: string): Promise<void> {
    this.stale = memberId;
    await this.running();
  }

  /** The eviction loop, started when none runs (it ends once nothing is stale). */
  private running(): Promise<void> {
    return (this.loop ??= this.evictStale().finally(() => (this.loop = undefined)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.delay.wake();
    await this.loop;
  }

  private async evictStale(): Promise<void> {
    while (this.stale && !this.stopped && this.createCluster) {
      const memberId = this.stale;
      const cluster = this.createCluster();
      try {
        await cluster.connect();
        await cluster.refreshMetadata();
        const coordinator = await cluster.findGroupCoordinator({ groupId: this.groupId });
        await coordinator.leaveGroup({ groupId: this.groupId, memberId });
        this.log.info('removed the group member this bridge was before its consumer restarted', {
          group: this.groupId,
          member_id: memberId,
        });
        this.settled(memberId);
      } catch (err) {
        if ((err as { type?: string }).type === 'UNKNOWN_MEMBER_ID') {
          this.settled(memberId); // it left or expired already
        } else {
          this.log.debug('could not remove the previous group member yet', {
            group: this.groupId,
            member_id: memberId,
            error: (err as Error).message,
          });
          await this.delay.wait(this.retryMs); // broker still down, coordinator loading or moving: try again shortly
        }
      } finally {
        await cluster.disconnect().catch(() => undefined);
      }
    }
  }

  private settled(memberId: string): void {
    if (this.stale === memberId) this.stale = undefined;
  }
}

/** The parts of kafkajs's internal Cluster and Broker used here (kafkajs 2.2.4). */
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findGroupCoordinator(args: { groupId: string }): Promise<{
    leaveGroup(args: { groupId: string; memberId: string }): Promise<unknown>;
  }>;
}

/** kafkajs's Kafka keeps its cluster factory under a private symbol; undefined when that changes. */
export function internalClusterFactory(kafka: Kafka): (() => InternalCluster) | undefined {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = key === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof create !== 'function') return undefined;
  return () => (create as (options: object) => InternalCluster)({ allowAutoTopicCreation: false });
}
