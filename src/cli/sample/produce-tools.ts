import { kafkaProducer } from '../../adapters/kafka/kafka-producer';
import type { KafkaSettings } from '../../config/settings';
import type { DomainConfig } from '../../domains/domain';
import { domainNamed } from '../../domains/registry';

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

/** Parses "K" or "MIN-MAX" into a picker of attachment counts. */
export function attachmentCounts(spec: string, random: () => number = Math.random): () => number {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) throw new Error(`--attachments takes a number or a range like 1-3, got ${JSON.stringify(spec)}`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min) throw new Error(`--attachments range ${spec} is empty`);
  return () => min + Math.floor(random() * (max - min + 1));
}
