import type { KafkaAdmin } from '../adapters/kafka/kafka-admin';
import type { Logger } from '../observability/logger';
import { refreshEvery } from '../observability/refresh-timer';
import { checkTemporal, type TemporalHealth } from '../wiring/temporal';
import type { BridgeMetrics } from './bridge-metrics';

const CHECK_TIMEOUT_MS = 5_000;

/** Asks Kafka and Temporal whether they answer; problems are the readiness reasons (empty = both fine). */
export async function dependencyProblems(
  admin: Pick<KafkaAdmin, 'ping'>,
  connection: TemporalHealth,
): Promise<string[]> {
  const deadline = <T>(p: Promise<T>) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref(),
      ),
    ]);
  const [kafka, temporal] = await Promise.allSettled([
    deadline(admin.ping()),
    deadline(connection.healthService.check({})),
  ]);
  const problems: string[] = [];
  if (kafka.status === 'rejected') problems.push(`kafka: ${String(kafka.reason)}`);
  if (temporal.status === 'rejected') problems.push(`temporal: ${String(temporal.reason)}`);
  return problems;
}

/** Exports kafka_connection_status{component="temporal"} from a health check on a timer. */
export function watchTemporal(
  connection: TemporalHealth,
  metrics: BridgeMetrics,
  log: Logger,
  intervalMs: number,
): () => Promise<void> {
  return refreshEvery(
    intervalMs,
    async () => {
      try {
        await checkTemporal(connection, CHECK_TIMEOUT_MS);
        metrics.connected('temporal', true);
      } catch (err) {
        metrics.connected('temporal', false);
        throw err;
      }
    },
    log,
    'Temporal health check failed',
  );
}
