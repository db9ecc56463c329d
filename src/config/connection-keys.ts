import { z } from 'zod';
import { parsePayloadKeys } from './payload-keys';
import { bool, key, optional, positiveInt, secretKey } from './schemas';

/** How the processes reach Kafka (incl. Azure Event Hubs) and Temporal (incl. Temporal Cloud). */
export const CONNECTION_KEYS = {
  kafkaSecurityProtocol: key(
    'KAFKA_SECURITY_PROTOCOL',
    'PLAINTEXT',
    'PLAINTEXT, SSL or SASL_SSL (Event Hubs: SASL_SSL on port 9093)',
    z.enum(['PLAINTEXT', 'SSL', 'SASL_SSL']),
  ),
  kafkaSaslMechanism: key(
    'KAFKA_SASL_MECHANISM',
    '',
    'With SASL_SSL: PLAIN (Event Hubs connection string) or OAUTHBEARER (Entra ID via DefaultAzureCredential)',
    z.enum(['', 'PLAIN', 'OAUTHBEARER']),
  ),
  kafkaSaslUsername: key(
    'KAFKA_SASL_USERNAME',
    '$ConnectionString',
    'SASL PLAIN user name (Event Hubs: the literal $ConnectionString)',
    optional,
  ),
  kafkaSaslPassword: secretKey(
    'KAFKA_SASL_PASSWORD',
    '',
    'SASL PLAIN password (Event Hubs: the namespace connection string); from a Secret',
    optional,
  ),
  kafkaOauthScope: key(
    'KAFKA_OAUTH_SCOPE',
    '',
    'OAUTHBEARER token scope, e.g. https://<namespace>.servicebus.windows.net/.default',
    optional,
  ),
  kafkaSslCa: key(
    'KAFKA_SSL_CA',
    '',
    "With SSL or SASL_SSL: CA certificate file (PEM) the brokers' certificates are checked against, for a private " +
      "CA; empty: the system's trusted CAs",
    optional,
  ),
  temporalTls: key(
    'TEMPORAL_TLS',
    'false',
    'Connect to Temporal over TLS (implied by TEMPORAL_API_KEY, TEMPORAL_TLS_CERT, TEMPORAL_TLS_CA and ' +
      'TEMPORAL_TLS_SERVER_NAME)',
    bool,
  ),
  temporalTlsCa: key(
    'TEMPORAL_TLS_CA',
    '',
    "CA certificate file (PEM) the Temporal frontend's certificate is checked against, for a private CA; empty: " +
      "the system's trusted CAs",
    optional,
  ),
  temporalTlsServerName: key(
    'TEMPORAL_TLS_SERVER_NAME',
    '',
    "Name the Temporal frontend's certificate must carry, when it is not the host of TEMPORAL_ADDRESS",
    optional,
  ),
  temporalApiKey: secretKey('TEMPORAL_API_KEY', '', 'Temporal Cloud API key; from a Secret', optional),
  temporalTlsCert: key(
    'TEMPORAL_TLS_CERT',
    '',
    'Client certificate file for Temporal mTLS (with TEMPORAL_TLS_KEY)',
    optional,
  ),
  temporalTlsKey: key('TEMPORAL_TLS_KEY', '', 'Client key file for Temporal mTLS (with TEMPORAL_TLS_CERT)', optional),
  temporalPayloadEncryption: key(
    'TEMPORAL_PAYLOAD_ENCRYPTION',
    'false',
    'Encrypt workflow and activity payloads and failure messages with the first key of TEMPORAL_PAYLOAD_KEYS ' +
      '(every process, bridge, worker and CLI, needs the same keys)',
    bool,
  ),
  temporalPayloadKeys: secretKey(
    'TEMPORAL_PAYLOAD_KEYS',
    '',
    'Payload encryption keys, id:base64 (32 bytes) comma-separated: the first encrypts, all decrypt (rotation: put ' +
      'the new key first, keep the old after it); from a Secret. Set without TEMPORAL_PAYLOAD_ENCRYPTION: decrypt only',
    optional,
  ),
  codecServerToken: secretKey(
    'CODEC_SERVER_TOKEN',
    '',
    'When set, `kafka-pipeline codec-server` answers only requests with Authorization: Bearer <token> (the ' +
      'temporal CLI sends it with --codec-auth); from a Secret',
    optional,
  ),
  kafkaLagIntervalS: key(
    'KAFKA_LAG_INTERVAL_S',
    '15',
    'How often the bridge reads end and committed offsets to export kafka_consumer_lag',
    positiveInt,
  ),
  dlqMetricsIntervalS: key(
    'DLQ_METRICS_INTERVAL_S',
    '30',
    'How often the DLQ monitor (kafka-pipeline dlq-monitor) counts the DLQ (Temporal visibility) to export ' +
      'pipeline_dlq_depth, and archives new entries to DLQ_ARCHIVE_TABLE',
    positiveInt,
  ),
  temporalSdkMetricsPort: key(
    'TEMPORAL_SDK_METRICS_PORT',
    '0',
    "Port of the worker's Temporal SDK metrics (task slots, schedule-to-start latency); 0 = off",
    z.coerce.number().int().min(0).max(65535),
  ),
  workerShutdownGraceS: key(
    'WORKER_SHUTDOWN_GRACE_S',
    '60',
    'On SIGTERM, in-flight activities get this long to finish before they are cancelled and retried elsewhere',
    positiveInt,
  ),
} as const;

interface ConnectionSettings {
  kafkaSecurityProtocol: string;
  kafkaSaslMechanism: string;
  kafkaSaslUsername: string;
  kafkaSaslPassword: string;
  kafkaOauthScope: string;
  kafkaSslCa: string;
  temporalTlsCert: string;
  temporalTlsKey: string;
  temporalPayloadEncryption: boolean;
  temporalPayloadKeys: string;
}

/** Problems that involve more than one connection key, one line each. */
export function connectionProblems(c: ConnectionSettings): string[] {
  const problems: string[] = [];
  const sasl = c.kafkaSecurityProtocol === 'SASL_SSL';
  if (sasl && c.kafkaSaslMechanism === '') {
    problems.push('KAFKA_SASL_MECHANISM: must be PLAIN or OAUTHBEARER when KAFKA_SECURITY_PROTOCOL=SASL_SSL');
  }
  if (!sasl && c.kafkaSaslMechanism !== '') {
    problems.push(`KAFKA_SASL_MECHANISM=${c.kafkaSaslMechanism}: needs KAFKA_SECURITY_PROTOCOL=SASL_SSL`);
  }
  if (sasl && c.kafkaSaslMechanism === 'PLAIN') {
    if (c.kafkaSaslUsername === '') problems.push('KAFKA_SASL_USERNAME: must be set for SASL PLAIN');
    if (c.kafkaSaslPassword === '') problems.push('KAFKA_SASL_PASSWORD: must be set for SASL PLAIN');
  }
  if (sasl && c.kafkaSaslMechanism === 'OAUTHBEARER' && c.kafkaOauthScope === '') {
    problems.push(
      'KAFKA_OAUTH_SCOPE: must be set for OAUTHBEARER, e.g. https://<namespace>.servicebus.windows.net/.default',
    );
  }
  if (c.kafkaSslCa !== '' && c.kafkaSecurityProtocol === 'PLAINTEXT') {
    problems.push('KAFKA_SSL_CA: needs KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL');
  }
  if ((c.temporalTlsCert === '') !== (c.temporalTlsKey === '')) {
    problems.push('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both for mTLS, or neither');
  }
  if (c.temporalPayloadEncryption && c.temporalPayloadKeys === '') {
    problems.push('TEMPORAL_PAYLOAD_KEYS: must be set when TEMPORAL_PAYLOAD_ENCRYPTION=true');
  } else if (c.temporalPayloadKeys !== '') {
    try {
      parsePayloadKeys(c.temporalPayloadKeys);
    } catch (err) {
      problems.push(`TEMPORAL_PAYLOAD_KEYS: ${(err as Error).message}`);
    }
  }
  return problems;
}
