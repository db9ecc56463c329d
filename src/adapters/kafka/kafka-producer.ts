import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaConfig, type KafkaClientSettings } from './client-config';

/** A keyed message to publish. */
export interface OutgoingMessage {
  readonly key: string;
  readonly value: string;
}

/** What the CLI's producers (`produce`, the demo) need of Kafka. */
export interface KafkaProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
}

/**
 * A producer with the pipeline's connection settings and Kafka's default partitioner (a key's messages stay in order
 * on one partition). `allowAutoTopicCreation`: kafkajs's (true unless set).
 */
export function kafkaProducer(
  config: KafkaClientSettings,
  opts: { clientId?: string; allowAutoTopicCreation?: boolean } = {},
): KafkaProducer {
  const producer = new Kafka(
    kafkaConfig(config, { ...(opts.clientId ? { clientId: opts.clientId } : {}), logLevel: logLevel.NOTHING }),
  ).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    ...(opts.allowAutoTopicCreation === undefined ? {} : { allowAutoTopicCreation: opts.allowAutoTopicCreation }),
  });
  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    send: async (topic, messages) => void (await producer.send({ topic, messages: [...messages] })),
  };
}
