/**
 * The slices of the configuration each kind of client is built from. Data only: the clients themselves are built
 * where the entry points wire things (src/wiring; the Kafka client: src/adapters/kafka/client-config.ts).
 */
import type { Config } from './config';

/** The configuration a Kafka client is built from. */
export type KafkaSettings = Pick<
  Config,
  | 'kafkaBrokers'
  | 'kafkaClientId'
  | 'kafkaSecurityProtocol'
  | 'kafkaSaslMechanism'
  | 'kafkaSaslUsername'
  | 'kafkaSaslPassword'
  | 'kafkaOauthScope'
  | 'kafkaSslCa'
>;

/** The configuration a Temporal connection is built from. */
export type TemporalSettings = Pick<
  Config,
  | 'temporalAddress'
  | 'temporalTls'
  | 'temporalTlsCert'
  | 'temporalTlsKey'
  | 'temporalTlsCa'
  | 'temporalTlsServerName'
  | 'temporalApiKey'
>;

/** The configuration the object store is built from: STORAGE_BACKEND and the settings of each backend. */
export type StorageSettings = Pick<
  Config,
  | 'storageBackend'
  | 'lakehouseDir'
  | 'onelakeDfsUrl'
  | 'onelakeBlobUrl'
  | 'onelakeWorkspace'
  | 'onelakeLakehouse'
  | 'onelakeAuth'
  | 'onelakeAccountName'
  | 'onelakeAccountKey'
>;

/** Where the DLQ archive, the inputs it keeps and the audit trail live in the lakehouse. */
export function dlqTables(config: Pick<Config, 'dlqArchiveTable' | 'dlqArchiveFilesPrefix' | 'dlqAuditTable'>) {
  return {
    archiveTable: config.dlqArchiveTable,
    archiveInputsPrefix: config.dlqArchiveFilesPrefix,
    auditTable: config.dlqAuditTable,
  };
}
