import fs from 'node:fs';
import type { Config } from './config';

/** The configuration a Kafka client is built from (the client itself: src/adapters/kafka/client-config.ts). */
export type KafkaSettings = Pick<
  Config,
  | 'kafkaBrokers'
  | 'kafkaClientId'
  | 'kafkaSecurityProtocol'
  | 'kafkaSaslMechanism'
  | 'kafkaSaslUsername'
  | 'kafkaSaslPassword'
  | 'kafkaOauthScope'
>;

/** The configuration a Temporal connection is built from. */
export type TemporalSettings = Pick<
  Config,
  'temporalAddress' | 'temporalTls' | 'temporalTlsCert' | 'temporalTlsKey' | 'temporalApiKey'
>;

/**
 * gRPC channel settings of the bridge's and the CLI's Temporal client: reconnect at most 1 s apart (grpc-js backs
 * off up to 2 minutes by default), so a client notices within a second that Temporal is back.
 */
export const FAST_RECONNECT_CHANNEL_ARGS = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1_000,
} as const;

/** Temporal connection settings: address, TLS (server-verified, or mTLS with a client pair), Cloud API key. */
export function temporalConnectionOptions(config: TemporalSettings): {
  address: string;
  tls?: boolean | { clientCertPair: { crt: Buffer; key: Buffer } };
  apiKey?: string;
} {
  const mtls =
    config.temporalTlsCert !== ''
      ? {
          clientCertPair: { crt: fs.readFileSync(config.temporalTlsCert), key: fs.readFileSync(config.temporalTlsKey) },
        }
      : undefined;
  const tls = mtls ?? (config.temporalTls || config.temporalApiKey !== '' ? true : undefined);
  return {
    address: config.temporalAddress,
    ...(tls ? { tls } : {}),
    ...(config.temporalApiKey ? { apiKey: config.temporalApiKey } : {}),
  };
}
