import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaConfig, type KafkaSettings } from '../config/connections';
import type { Config } from '../config/config';
import { attachmentCounts, sampleEvent } from './sample-events';

/** Publishes sample events to the configured events topic, 500 per request. */
export async function produceSampleEvents(
  config: KafkaSettings & Pick<Config, 'eventsTopic'>,
  opts: {
    count: number;
    attachments: string;
    failRate: number;
    bytes: number;
    sampleUrl: string;
  },
): Promise<number> {
  const pick = attachmentCounts(opts.attachments);
  const kafka = new Kafka(kafkaConfig(config, { logLevel: logLevel.NOTHING }));
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (let start = 0; start < opts.count; start += 500) {
      const events = Array.from({ length: Math.min(500, opts.count - start) }, (_, k) =>
        sampleEvent(start + k, {
          sampleUrl: opts.sampleUrl,
          attachments: pick(),
          failRate: opts.failRate,
          bytes: opts.bytes,
        }),
      );
      await producer.send({
        topic: config.eventsTopic,
        messages: events.map((e) => ({ key: String(e.traceId), value: JSON.stringify(e) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
  return opts.count;
}
