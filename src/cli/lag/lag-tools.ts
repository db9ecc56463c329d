import { bridgeDomain } from '../../bridge/domains';
import { kafkaAdmin } from '../../adapters/kafka/kafka-admin';
import { cliConfig } from '../common/cli-config';

/**
 * `kafka-pipeline lag`: the consumer group's lag per partition and its state, read with the bridge's own
 * connection settings (brokers, TLS, SASL), so it works from the image where the Kafka tools (Java) are absent.
 */
export async function lagCommand(opts: { topic?: string; group?: string; json?: boolean }): Promise<number> {
  const config = cliConfig();
  const domain = bridgeDomain(config); // BRIDGE_DOMAIN=claimx: the claimx topic and group
  const topic = opts.topic ?? domain.topic;
  const group = opts.group ?? domain.group;
  const admin = kafkaAdmin(config, { retries: 2 });
  try {
    await admin.connect();
  } catch (err) {
    console.error(`lag: cannot reach Kafka at ${config.kafkaBrokers.join(',')}: ${(err as Error).message}`);
    return 1;
  }
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      console.error(`lag: topic ${topic} does not exist`);
      return 1;
    }
    const [partitions, { state, members }] = await Promise.all([
      admin.readLag(topic, group),
      admin.describeGroup(group),
    ]);
    const total = partitions.reduce((n, p) => n + p.lag, 0);
    if (opts.json) {
      console.log(JSON.stringify({ topic, group, state, members, total, partitions }, null, 2));
      return 0;
    }
    const lines = [
      `${topic} / group ${group}: total lag ${total}; group ${state}, ${members} member(s)`,
      `${'PARTITION'.padEnd(10)} ${'COMMITTED'.padStart(12)} ${'END'.padStart(12)} ${'LAG'.padStart(10)}`,
      ...partitions.map(
        (p) =>
          `${String(p.partition).padEnd(10)} ${(p.committed === null ? '-' : String(p.committed)).padStart(12)} ` +
          `${String(p.end).padStart(12)} ${String(p.lag).padStart(10)}`,
      ),
    ];
    console.log(lines.join('\n'));
    return 0;
  } finally {
    await admin.disconnect();
  }
}
