import { kafkaProducer } from '../adapters/kafka/kafka-producer';
import type { KafkaSettings } from '../config/connections';
import type { Config } from '../config/config';
import { sampleClaimxEvent } from './sample-claimx-events';
import { attachmentCounts, sampleEvent } from './sample-events';

/** Publishes sample events to the domain's events topic, 500 per request. */
export async function produceSampleEvents(
  config: KafkaSettings & Pick<Config, 'eventsTopic' | 'claimxEventsTopic'>,
  opts: {
    domain?: 'xact' | 'claimx';
    count: number;
    attachments: string;
    failRate: number;
    bytes: number;
    sampleUrl: string;
  },
): Promise<number> {
  const pick = attachmentCounts(opts.attachments);
  const producer = kafkaProducer(config, { allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const claimx = opts.domain === 'claimx';
    for (let start = 0; start < opts.count; start += 500) {
      const events = Array.from({ length: Math.min(500, opts.count - start) }, (_, k) =>
        claimx
          ? sampleClaimxEvent(start + k)
          : sampleEvent(start + k, {
              sampleUrl: opts.sampleUrl,
              attachments: pick(),
              failRate: opts.failRate,
              bytes: opts.bytes,
            }),
      );
      await producer.send(
        claimx ? config.claimxEventsTopic : config.eventsTopic,
        // Keyed by project (claimx) or trace id (xact): one key's events stay in order on one partition.
        events.map((e) => ({
          key: String(claimx ? (e.project_id ?? e.projectId) : e.traceId),
          value: JSON.stringify(e),
        })),
      );
    }
  } finally {
    await producer.disconnect();
  }
  return opts.count;
}
