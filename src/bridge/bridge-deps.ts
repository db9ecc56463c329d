import type { Client } from '@temporalio/client';
import type { KafkaSettings } from '../config/settings';
import { KafkaMessageSource } from '../adapters/kafka/kafka-source';
import type { SocketFactory } from '../adapters/kafka/kafka-sockets';
import type { MessageSource } from '../adapters/kafka/message-source';
import type { ObjectStore } from '../adapters/storage/object-store';
import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import { breakerSettings, type CircuitBreaker, type CircuitBreakers } from '../resilience/circuit-breaker';
import type { RunSettings, StartRequestOf } from '../domains/start-request';
import type { BridgeMetrics } from './bridge-metrics';
import { isTemporalUnavailable } from './workflow-starter';

const TEMPORAL_PROBE_MS = 1_000;

/** The configuration the bridge uses. */
export type BridgeSettings = KafkaSettings &
  RunSettings &
  Pick<
    Config,
    | 'eventsTopic'
    | 'consumerGroup'
    | 'taskQueue'
    | 'bridgeMaxInFlight'
    | 'bridgePartitionsConcurrently'
    | 'bridgeMaxInputBytes'
    | 'bridgeStuckPartitionS'
    | 'bridgeMaxOpenWorkflows'
  >;

export interface BridgeDeps {
  readonly config: BridgeSettings;
  readonly client: Client;
  readonly store: ObjectStore;
  readonly log: Logger;
  readonly metrics: BridgeMetrics;
  /** `temporal` wraps every start; `kafka` counts the consumer's request failures (for the breaker metrics). */
  readonly breakers: { readonly temporal: CircuitBreaker; readonly kafka: CircuitBreaker };
  /** Back-pressure (BRIDGE_MAX_OPEN_WORKFLOWS): starts wait while `admits()` is false; `started()` counts a start. */
  readonly admission?: { admits(): boolean; started(): void };
  /** How the domain's messages become starts (its Domain's toStart: src/domains). */
  readonly toStart: StartRequestOf;
  /**
   * Ask for eager workflow start (the combined process: `client` runs on the connection its own worker polls with,
   * so the server can hand the first workflow task straight back); each start's outcome is counted.
   */
  readonly eagerStart?: boolean;
}

/** The bridge's message source: its topic as its consumer group, on `socketFactory`'s sockets (default: kafkajs's). */
export function bridgeSource(config: BridgeSettings, log: Logger, socketFactory?: SocketFactory): MessageSource {
  return new KafkaMessageSource({
    kafka: config,
    topic: config.eventsTopic,
    group: config.consumerGroup,
    partitionsConcurrently: config.bridgePartitionsConcurrently,
    log,
    socketFactory,
  });
}

/**
 * The bridge's breakers, from BREAKER_* settings: `temporal` (workflow starts) and `kafka_consumer`. `temporalHealth`
 * (Temporal's health check) is asked every second while `temporal` is open, so starts resume within seconds of
 * Temporal's return instead of after BREAKER_OPEN_S.
 */
export function bridgeBreakers(
  breakers: CircuitBreakers,
  config: Pick<Config, 'breakerFailureThreshold' | 'breakerOpenS'>,
  temporalHealth?: () => Promise<unknown>,
): BridgeDeps['breakers'] {
  const settings = breakerSettings(config);
  const probe = temporalHealth ? { check: temporalHealth, everyMs: TEMPORAL_PROBE_MS } : undefined;
  return {
    // Counts only Temporal-wide unavailability: one rejected input or rate limiting opens nothing.
    temporal: breakers.get('temporal', { ...settings, probe }, isTemporalUnavailable),
    kafka: breakers.get('kafka_consumer', settings),
  };
}
