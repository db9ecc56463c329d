import type { Command } from 'commander';
import type { FilterOpts } from './dlq-tools';

const collect = (value: string, previous: string[]) => [...previous, value];

function filters(cmd: Command): Command {
  return cmd
    .option('--domain <domain>', 'only this domain (Domain search attribute): xact or claimx')
    .option(
      '--category <category>',
      'only this ErrorCategory: permanent, transient, auth, invalid_event, circuit_open, unknown',
    )
    .option('--stage <stage>', 'only this FailedStage: decode, validate, enrich, download, upload, delta')
    .option('--since <duration>', 'only failures in the last duration, e.g. 2h, 30m, 7d')
    .option('--query <filter>', 'extra Temporal visibility filter, ANDed, e.g. "EventType = \'documentsReceived\'"');
}

/** `kafka-pipeline dlq ...`: the DLQ is the set of failed pipeline workflow runs in Temporal. */
export function registerDlqCommands(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('Failed events (failed workflow runs): list, view, replay, resolve, stats, audit');
  const tools = () => import('./dlq-tools');

  filters(dlq.command('list').description('One line per failed event, newest first, with the DLQ depth'))
    .option('--limit <n>', 'entries shown (the depth counts all)', '50')
    .option(
      '--archived',
      'list the open entries of the lakehouse archive (DLQ_ARCHIVE_TABLE), also those Temporal no longer has',
    )
    .option('--json', 'print JSON')
    .action(async (opts: FilterOpts & { limit: string; json?: boolean; archived?: boolean }) => {
      process.exitCode = await (await tools()).dlqList(opts);
    });

  dlq
    .command('view')
    .description('The event, its Kafka coordinates, per-attachment outcomes, failure chain, replays and UI link')
    .argument('<trace_id>', 'trace id of the event (or the workflow id of an invalid message)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      process.exitCode = await (await tools()).dlqView(id, opts);
    });

  filters(
    dlq
      .command('replay')
      .description(
        'Run failed events again (reset of the failed run, or a fresh run from the archive when Temporal no ' +
          'longer has it); one by trace id, or many by filter',
      )
      .argument('[trace_id]', 'trace id of one failed event'),
  )
    .option('--all', 'replay every entry in the DLQ')
    .option('--reason <text>', 'why, for the audit log', 'cause fixed')
    .option('--operator <name>', 'who, for the audit log (default DLQ_OPERATOR, else the OS user)')
    .option('--wait', 'wait for the replayed run and print its outcome (one event only)')
    .option('--set-url <old=new>', 'replay with an attachment URL replaced (repeatable; one event only)', collect, [])
    .option('--dry-run', 'show how many entries would be replayed, change nothing')
    .option('--rate <n>', 'replays started per second (bulk)', '10')
    .option('--yes', 'confirm replaying more than one entry')
    .option('--include-invalid', 'bulk: also replay events that failed as invalid_event (they fail again unless fixed)')
    .action(async (id: string | undefined, opts) => {
      process.exitCode = await (await tools()).dlqReplay(id, opts);
    });

  dlq
    .command('resolve')
    .description('Mark a failure handled without replaying: audit record, then the failed run is deleted')
    .argument('<trace_id>', 'trace id of the event (or the workflow id of an invalid message)')
    .requiredOption('--reason <text>', 'why no replay is wanted, for the audit log')
    .option('--operator <name>', 'who, for the audit log (default DLQ_OPERATOR, else the OS user)')
    .action(async (id: string, opts: { reason: string; operator?: string }) => {
      process.exitCode = await (await tools()).dlqResolve(id, opts);
    });

  filters(dlq.command('stats').description('DLQ depth by category and stage, oldest failure age, namespace retention'))
    .option('--json', 'print JSON')
    .action(async (opts: FilterOpts & { json?: boolean }) => {
      process.exitCode = await (await tools()).dlqStats(opts);
    });

  dlq
    .command('audit')
    .description('Print the audit trail of replays and resolutions (Delta table DLQ_AUDIT_TABLE)')
    .option('--since <duration>', 'only entries in the last duration, e.g. 24h')
    .option('--json', 'print JSON lines')
    .action(async (opts: { since?: string; json?: boolean }) => {
      process.exitCode = await (await tools()).dlqAudit(opts);
    });
}
