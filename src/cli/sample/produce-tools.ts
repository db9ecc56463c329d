import { kafkaProducer } from '../../adapters/kafka/kafka-producer';
import type { KafkaSettings } from '../../config/settings';
import type { DomainConfig } from '../../domains/domain';
import { domainNamed } from '../../domains/registry';
import { attachmentCounts } from '../../domains/xact/sample';

/** Publishes a domain's sample events to its events topic, 500 per request; returns the topic. */
export async function produceSampleEvents(
  config: KafkaSettings & DomainConfig,
  opts: {
    domain?: string;
    count: number;
    attachments: string;
    failRate: number;
    bytes: number;
    sampleUrl: string;
  },
): Promise<{ produced: number; topic: string }> {
  const domain = domainNamed(opts.domain ?? 'xact');
  const { topic } = domain.source(config);
  const request = { ...opts, attachments: attachmentCounts(opts.attachments) };
  const producer = kafkaProducer(config, { allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let start = 0; start < opts.count; start += 500) {
      const events = Array.from({ length: Math.min(500, opts.count - start) }, (_, k) =>
        domain.sample.event(start + k, request),
      );
      // Keyed as the domain says (claimx: project, xact: trace id): one key's events stay in order on one partition.
      await producer.send(
        topic,
        events.map((e) => ({ key: domain.sample.key(e), value: JSON.stringify(e) })),
      );
    }
  } finally {
    await producer.disconnect();
  }
  return { produced: opts.count, topic };
}
