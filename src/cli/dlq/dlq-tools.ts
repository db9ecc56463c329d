import type { Connection } from '@temporalio/client';
import { dlqTables } from '../../config/settings';
import { createObjectStore } from '../../wiring/object-store';
import { connectTemporal } from '../../wiring/temporal';
import { findArchived, listArchived, replayArchived, resolveArchived } from '../../dlq/archived';
import { AuditLog } from '../../dlq/audit';
import { DlqService, NotInDlqError } from '../../dlq/dlq-service';
import { type DlqFilter, DlqUsageError } from '../../dlq/query';
import { awaitReplay, bulkTargets, replay, replayAmended, replayMany, resolve } from '../../dlq/replay';
import { redactSecretsDeep } from '../../shared/urls';
import { cliConfig } from '../common/cli-config';
import { archivedListText, archivedViewText } from './dlq-archive-format';
import { auditText, listText, progressLine, redactedInput, statsText, viewText } from './dlq-format';
import { sinceDate } from './durations';

/** The actions of `kafka-pipeline dlq`; each returns the exit code (0 ok, 1 error, 2 usage, 3 not in the DLQ). */

async function withDlq(fn: (dlq: DlqService) => Promise<number>): Promise<number> {
  const config = cliConfig();
  let connection: Connection | undefined;
  try {
    const temporal = await connectTemporal(config, { connectTimeout: '10s' });
    connection = temporal.connection;
    const client = temporal.client;
    const store = createObjectStore(config);
    return await fn(new DlqService(client, config.temporalNamespace, config.temporalUiUrl, store, dlqTables(config)));
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

/** What Temporal does not have: the open entries of the lakehouse archive (`dlq list --archived`). */
async function listFromArchive(dlq: DlqService, opts: FilterOpts & { json?: boolean }): Promise<number> {
  if (opts.category || opts.stage || opts.since || opts.query || opts.domain)
    throw new DlqUsageError('--archived lists every open archived entry; it takes no filter');
  const items = await listArchived(dlq);
  if (opts.json) console.log(JSON.stringify(items, null, 2));
  else console.log(archivedListText(dlq.archive.location.table, items));
  return 0;
}

/** Runs `live` on the entry in Temporal; when Temporal has no run of it at all, `archived` on its archived entry. */
async function liveOrArchived<T>(
  dlq: DlqService,
  id: string,
  live: () => Promise<T>,
  archived: (entry: Awaited<ReturnType<typeof findArchived>>) => Promise<T>,
): Promise<T> {
  try {
    return await live();
  } catch (err) {
    if (!(err instanceof NotInDlqError) || !err.absent) throw err;
    return archived(await findArchived(dlq, id));
  }
}

export function dlqList(opts: FilterOpts & { limit: string; json?: boolean; archived?: boolean }): Promise<number> {
  return withDlq(async (dlq) => {
    if (opts.archived) return listFromArchive(dlq, opts);
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
    return liveOrArchived(
      dlq,
      id,
      async () => {
        const { entry, run, audit } = await dlq.view(id);
        const shown = { entry, run: { ...run, input: redactedInput(run.input) }, audit };
        if (opts.json) console.log(JSON.stringify(redactSecretsDeep(shown), null, 2));
        else console.log(viewText(entry, run, audit));
        return 0;
      },
      async (archived) => {
        const audit = (await dlq.audit.read()).filter((a) => a.workflowId === archived.failed.workflowId);
        const { inputJson, ...rest } = archived.failed;
        const input = inputJson === null ? null : (JSON.parse(inputJson) as unknown);
        const shown = { archived: { ...archived, failed: { ...rest, input: redactedInput(input) } }, audit };
        if (opts.json) console.log(JSON.stringify(redactSecretsDeep(shown), null, 2));
        else console.log(archivedViewText(archived, audit));
        return 0;
      },
    );
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
        const what = await liveOrArchived(
          dlq,
          id,
          async () => (await dlq.find(id)).runId,
          async (a) => `${a.failed.runId} from the DLQ archive (a fresh run from its archived input)`,
        );
        console.log(`would replay ${id} run ${what}`);
        return 0;
      }
      const changes = opts.setUrl.map((pair) => {
        // URLs contain '=' in their query strings: split where the new URL's scheme starts.
        const at = /=(?=[a-z][a-z0-9+.-]*:\/\/)/i.exec(pair)?.index ?? -1;
        if (at <= 0)
          throw new DlqUsageError(
            `--set-url expects old=new (both URLs), got ${JSON.stringify([...pair].slice(0, 40).join(''))}`,
          );
        return { from: pair.slice(0, at), to: pair.slice(at + 1) };
      });
      const config = cliConfig();
      const r = await liveOrArchived(
        dlq,
        id,
        () => (changes.length > 0 ? replayAmended(dlq, id, changes, who) : replay(dlq, id, who)),
        (archived) => {
          if (changes.length > 0)
            throw new DlqUsageError('--set-url works on runs Temporal still has; this entry is only in the archive');
          return replayArchived(dlq, archived, { ...who, taskQueue: config.taskQueue });
        },
      );
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
    const started = Date.now();
    const result = await replayMany(dlq, targets, {
      ...who,
      rate,
      onProgress: (done, total, failed) => {
        if (!tty) return;
        process.stderr.write(`\r${progressLine(done, total, failed, Date.now() - started)}`);
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
    const who = { ...opts, operator: operatorOption(opts.operator) };
    const entry = await liveOrArchived(
      dlq,
      id,
      () => resolve(dlq, id, who),
      (archived) => resolveArchived(dlq, archived, who),
    );
    console.log(`resolved ${entry.workflowId} run ${entry.runId} (audit: ${dlq.audit.path})`);
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
  const entries = await new AuditLog(createObjectStore(config), config.dlqAuditTable).read(since);
  if (opts.json) for (const e of entries) console.log(JSON.stringify(e));
  else console.log(auditText(entries));
  return 0;
}
