import { z } from 'zod';
import { key, positiveInt } from './schemas';

/** Circuit breakers (src/resilience/circuit-breaker.ts) and the bridge's back-pressure. */
export const RESILIENCE_KEYS = {
  breakerFailureThreshold: key(
    'BREAKER_FAILURE_THRESHOLD',
    '5',
    'Consecutive failures that open a circuit breaker (Temporal starts, Kafka consumer, object store, Delta writer)',
    positiveInt,
  ),
  breakerDownloadFailureThreshold: key(
    'BREAKER_DOWNLOAD_FAILURE_THRESHOLD',
    '10',
    'Consecutive transient failures of one download host that open its breaker',
    positiveInt,
  ),
  breakerMaxHosts: key(
    'BREAKER_MAX_HOSTS',
    '256',
    'Download hosts whose breaker (and metric series) a worker keeps; beyond it the least recently used closed one is dropped',
    positiveInt,
  ),
  breakerOpenS: key(
    'BREAKER_OPEN_S',
    '30',
    'Seconds an open breaker refuses calls before letting one probe through (half-open)',
    positiveInt,
  ),
  bridgeMaxOpenWorkflows: key(
    'BRIDGE_MAX_OPEN_WORKFLOWS',
    '200',
    'The bridge pauses consuming while this many pipeline workflows are running (backlog stays in Kafka); 0 = no limit',
    z.coerce.number().int().min(0),
  ),
  bridgeMaxInputBytes: key(
    'BRIDGE_MAX_INPUT_BYTES',
    '262144',
    'Largest workflow input the bridge sends; a larger event is stored as a claim check in the lakehouse (Temporal refuses payloads over 2 MB)',
    z.coerce.number().int().min(16_384).max(1_048_576),
  ),
  bridgeStuckPartitionS: key(
    'BRIDGE_STUCK_PARTITION_S',
    '300',
    'Seconds a partition may fail to hand a message over before the bridge reports not ready (bridge_stuck_partitions)',
    positiveInt,
  ),
} as const;
