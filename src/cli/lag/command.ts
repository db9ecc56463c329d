import type { Command } from 'commander';

/** `kafka-pipeline lag`: consumer lag per partition, from the image (no Java Kafka tools needed). */
export function registerLagCommand(program: Command): void {
  program
    .command('lag')
    .description('Consumer lag per partition (committed, end, lag) and the group state, with the bridge settings')
    .option('--topic <topic>', 'topic (default XACT_EVENTS_TOPIC, or CLAIMX_EVENTS_TOPIC with BRIDGE_DOMAIN=claimx)')
    .option('--group <group>', 'consumer group (default XACT_CONSUMER_GROUP, or CLAIMX_CONSUMER_GROUP likewise)')
    .option('--json', 'print JSON')
    .action(async (opts: { topic?: string; group?: string; json?: boolean }) => {
      process.exitCode = await (await import('./lag-tools')).lagCommand(opts);
    });
}
