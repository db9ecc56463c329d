import { DefaultAzureCredential } from '@azure/identity';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { readPem } from '../pem-file';

/** The settings a Kafka client is built from: the KAFKA_* keys of src/config (the adapter reads no config itself). */
export interface KafkaClientSettings {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClientId: string;
  /** PLAINTEXT, SSL or SASL_SSL. */
  readonly kafkaSecurityProtocol: string;
  /** With SASL_SSL: PLAIN or OAUTHBEARER. */
  readonly kafkaSaslMechanism: string;
  readonly kafkaSaslUsername: string;
  readonly kafkaSaslPassword: string;
  readonly kafkaOauthScope: string;
  /** With TLS: a CA file (PEM) for brokers with a private CA; empty: the system's trusted CAs. */
  readonly kafkaSslCa: string;
}

/** Where the adapter's clients log: the process's structured logger. */
export interface KafkaLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** kafkajs client settings from the configuration: brokers, TLS, SASL PLAIN (Event Hubs) or OAUTHBEARER (Entra ID). */
export function kafkaConfig(config: KafkaClientSettings, extra: Omit<KafkaConfig, 'brokers'> = {}): KafkaConfig {
  const tls = config.kafkaSecurityProtocol !== 'PLAINTEXT';
  let sasl: SASLOptions | undefined;
  if (config.kafkaSecurityProtocol === 'SASL_SSL' && config.kafkaSaslMechanism === 'PLAIN') {
    sasl = { mechanism: 'plain', username: config.kafkaSaslUsername, password: config.kafkaSaslPassword };
  } else if (config.kafkaSecurityProtocol === 'SASL_SSL' && config.kafkaSaslMechanism === 'OAUTHBEARER') {
    const credential = new DefaultAzureCredential();
    const scope = config.kafkaOauthScope;
    sasl = {
      mechanism: 'oauthbearer',
      oauthBearerProvider: async () => {
        const token = await credential.getToken(scope);
        if (!token) throw new Error(`no Entra ID token for ${scope}`);
        return { value: token.token };
      },
    };
  }
  return {
    clientId: config.kafkaClientId,
    ...extra,
    brokers: [...config.kafkaBrokers],
    ssl: tls && config.kafkaSslCa !== '' ? { ca: [readPem('KAFKA_SSL_CA', config.kafkaSslCa)] } : tls,
    ...(sasl ? { sasl } : {}),
  };
}
