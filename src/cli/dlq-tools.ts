import { Client, Connection } from '@temporalio/client';
import { temporalConnectionOptions } from '../config/connections';
import { AuditLog } from '../dlq/audit';
import { DlqService, NotInDlqError } from '../dlq/dlq-service';
import { type DlqFilter, DlqUsageError } from '../dlq/query';
import { awaitReplay, bulkTargets, replay, replayAmended, replayMany, resolve } from '../dlq/replay';
import { redactSecretsDeep } from '../shared/urls';
import { auditText, listText, redactedInput, statsText, viewText } from './dlq-format';
import { cliConfig } from './cli-config';
import { sinceDate } from './durations';

/** The actions of `kafka-pipeline dlq`; each returns the exit code (0 ok, 1 error, 2 usage, 3 not in the DLQ). */

async function withDlq(fn: (dlq: DlqService) => Promise<number>): Promise<number> {
  const config = cliConfig();
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '10s' });
    const client = new Client({ connection, namespace: config.temporalNamespace });
    return await fn(new DlqService(client, config.temporalNamespace, config.temporalUiUrl, config.dlqAuditLog));
  } catch (err) {
    if (err instanceof DlqUsageError) {
      console.error(`dlq: ${err.message}`);
      return 2;
    }
    if (err instanceof NotInDlqError) {
      console.error(`dlq: ${err.message}`);
      return 3;
    }
    if (!connection) {
      console.error(`dlq: cannot reach Temporal at ${config.temporalAddress}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  } finally {
    await connection?.close();
  }
}

/** The filter flags every dlq command that selects entries accepts. */
export interface FilterOpts {
  domain?: string;
  category?: string;
  stage?: string;
  since?: string;
  query?: string;
}

const toFilter = (o: FilterOpts): DlqFilter => ({
  domain: o.domain,
  category: o.category,
  stage: o.stage,
  since: sinceDate(o.since),
  query: o.query,
});

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new DlqUsageError(`${flag} must be a positive number, got ${JSON.stringify(text)}`);
  return n;
}

export function dlqList(opts: FilterOpts & { limit: string; json?: boolean }): Promise<number> {
  return withDlq(async (dlq) => {
    const limit = positive(opts.limit, '--limit');
    const filter = toFilter(opts);
    const { stats, items } = await dlq.list(filter, limit);
    const depth = stats.depth;
    if (opts.json)
      console.log(
        JSON.stringify(
          { depth, oldestAgeSeconds: stats.oldestAgeSeconds, retentionSeconds: stats.retentionSeconds, items },
          null,
          2,
        ),
      );
    else console.log(listText(depth, items, stats));
    return 0;
  });
}

export function dlqView(id: string, opts: { json?: boolean }): Promise<number> {
  return withDlq(async (dlq) => {
    const { entry, run, audit } = await dlq.view(id);
    const shown = { entry, run: { ...run, input: redactedInput(run.input) }, audit };
    if (opts.json) console.log(JSON.stringify(redactSecretsDeep(shown), null, 2));
    else console.log(viewText(entry, run, audit));
    return 0;
  });
}

interface ReplayOpts extends FilterOpts {
  all?: boolean;
  reason: string;
  operator?: string;
  wait?: boolean;
  setUrl: string[];
  dryRun?: boolean;
  rate: string;
  yes?: boolean;
  includeInvalid?: boolean;
}

export function dlqReplay(id: string | undefined, opts: ReplayOpts): Promise<number> {
  return withDlq(async (dlq) => {
    const bulk = opts.all || opts.query || opts.category || opts.stage || opts.since || opts.domain;
    if (id && bulk)
      throw new DlqUsageError(
        'give either a trace id or a filter (--query/--category/--stage/--since/--domain/--all), not both',
      );
    if (!id && !bulk)
      throw new DlqUsageError(
        'give a trace id, or a filter with --query/--category/--stage/--since/--domain, or --all',
      );
    const who = { reason: opts.reason, operator: operatorOption(opts.operator) };
    if (id) {
      if (opts.dryRun) {
        const entry = await dlq.find(id);
        console.log(`would replay ${entry.workflowId} run ${entry.runId}`);
        return 0;
      }
      const changes = opts.setUrl.map((pair) => {
        // URLs contain '=' in their query strings: split where the new URL's scheme starts.
        const at = /=(?=[a-z][a-z0-9+.-]*:\/\/)/i.exec(pair)?.index ?? -1;
        if (at <= 0)
          throw new DlqUsageError(`--set-url expects old=new (both URLs), got ${JSON.stringify(pair.slice(0, 40))}`);
        return { from: pair.slice(0, at), to: pair.slice(at + 1) };
      });
      const r = changes.length > 0 ? await replayAmended(dlq, id, changes, who) : await replay(dlq, id, who);
      console.log(`replay #${r.number} of ${r.entry.workflowId}: new run ${r.newRunId}`);
      console.log(`  ${dlq.uiUrl(r.entry.workflowId, r.newRunId)}`);
      if (!opts.wait) return 0;
      const outcome = await awaitReplay(dlq, r, who);
      console.log(`outcome: ${outcome}`);
      return outcome === 'completed' ? 0 : 1;
    }
    if (opts.wait || opts.setUrl.length > 0) throw new DlqUsageError('--wait and --set-url work on one trace id only');
    const filter = toFilter(opts);
    const rate = positive(opts.rate, '--rate');
    const { targets, skippedInvalid } = await bulkTargets(dlq, filter, opts.includeInvalid);
    const count = targets.length;
    const skipped =
      skippedInvalid > 0
        ? `; skipping ${skippedInvalid} invalid event(s) that would fail again (--include-invalid replays them too)`
        : '';
    if (opts.dryRun) {
      console.log(`would replay ${count} failed event(s) at ${rate}/s (invalid messages are never replayed)${skipped}`);
      return 0;
    }
    if (skipped) console.log(skipped.slice(2));
    if (count > 1 && !opts.yes)
      throw new DlqUsageError(`${count} entries match: add --yes to replay them (try --dry-run first)`);
    const tty = process.stderr.isTTY;
    const result = await replayMany(dlq, filter, {
      ...who,
      rate,
      includeInvalid: opts.includeInvalid,
      onProgress: (done, total, failed) => {
        if (!tty) return;
        const width = 30;
        const bar = '#'.repeat(Math.round((done / total) * width)).padEnd(width, '.');
        process.stderr.write(`\r[${bar}] ${done}/${total} replayed${failed ? `, ${failed} failed` : ''}`);
        if (done === total) process.stderr.write('\n');
      },
    });
    console.log(`replayed ${result.replayed} of ${result.total}; ${result.errors.length} error(s)`);
    for (const e of result.errors) console.log(`  ${e.workflowId}: ${e.error}`);
    if (result.errors.length > 0) console.log('run the same command again to retry what is left (it is resumable)');
    return result.errors.length > 0 ? 1 : 0;
  });
}

/** `--operator`, else DLQ_OPERATOR; undefined leaves it to operatorName (the OS user). */
function operatorOption(flag: string | undefined): string | undefined {
  return flag || cliConfig().dlqOperator || undefined;
}

export function dlqResolve(id: string, opts: { reason: string; operator?: string }): Promise<number> {
  return withDlq(async (dlq) => {
    if (opts.reason.trim() === '') throw new DlqUsageError('--reason must not be empty');
    const entry = await resolve(dlq, id, { ...opts, operator: operatorOption(opts.operator) });
    console.log(`resolved ${entry.workflowId} run ${entry.runId} (audit: ${dlq.audit.file})`);
    return 0;
  });
}

export function dlqStats(opts: FilterOpts & { json?: boolean }): Promise<number> {
  return withDlq(async (dlq) => {
    const stats = await dlq.stats(toFilter(opts));
    console.log(opts.json ? JSON.stringify(stats, null, 2) : statsText(stats));
    return 0;
  });
}

export async function dlqAudit(opts: { since?: string; json?: boolean }): Promise<number> {
  const config = cliConfig();
  let since: Date | undefined;
  try {
    since = sinceDate(opts.since);
  } catch (err) {
    console.error(`dlq: ${(err as Error).message}`);
    return 2;
  }
  const { entries, unreadable } = await new AuditLog(config.dlqAuditLog).read(since);
  if (opts.json) for (const e of entries) console.log(JSON.stringify(e));
  else console.log(auditText(entries));
  if (unreadable > 0) console.error(`dlq: ${unreadable} line(s) of ${config.dlqAuditLog} are not JSON`);
  return 0;
}
