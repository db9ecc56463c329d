import assert from 'node:assert/strict';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { Registry } from 'prom-client';
import { LocalObjectStore } from '../../../src/adapters/storage/local-store';
import { DlqMonitor } from '../../../src/dlq/dlq-monitor';
import { type DlqEntry, DlqService } from '../../../src/dlq/dlq-service';
import type { RunFailure } from '../../../src/dlq/history';
import { DlqUsageError } from '../../../src/dlq/query';
import { replayAmended } from '../../../src/dlq/replay';
import { createLogger } from '../../../src/observability/logger';
import { boundedSegment } from '../../../src/shared/path-segment';
import { queryMatchable, queryString } from '../../../src/shared/visibility-query';

/**
 * The string literals of a visibility query, read the way Temporal's tokenizer (temporalio/sqlparser scanString)
 * reads them: `\` escapes the next character (\0 \b \n \r \t \Z decoded), a doubled quote is one quote, the quote
 * ends the literal. Throws on an unterminated literal, as Temporal does.
 */
function literals(query: string): string[] {
  const decoded: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };
  const out: string[] = [];
  for (let i = 0; i < query.length; i++) {
    const quote = query[i];
    if (quote !== "'" && quote !== '"') continue;
    let text = '';
    for (i++; ; i++) {
      if (i >= query.length) throw new Error(`unterminated literal in ${query}`);
      const ch = query[i];
      if (ch === '\\') {
        if (i + 1 >= query.length) throw new Error(`unterminated literal in ${query}`);
        text += decoded[query[++i]!] ?? query[i];
      } else if (ch === quote && query[i + 1] === quote) text += query[++i];
      else if (ch === quote) break;
      else text += ch;
    }
    out.push(text);
  }
  return out;
}

const HOSTILE = ['abc\\', 'a\\b\'c"d', "it's", '\\', "\\'", '😀'.repeat(3), "x' OR WorkflowId != '"];

function info(workflowId: string, closeTime = new Date('2026-12-05T08:00:00Z')): WorkflowExecutionInfo {
  return {
    workflowId,
    runId: `run-of-${workflowId}`,
    type: 'ingestXactEvent',
    closeTime,
    startTime: new Date(closeTime.getTime() - 1000),
    typedSearchAttributes: new TypedSearchAttributes(),
    memo: {},
  } as unknown as WorkflowExecutionInfo;
}

/**
 * A Temporal client whose list returns `failed` for the DLQ query and records every query it is asked; describe
 * gives `latest` of an id, else its failed run.
 */
function fakeClient(
  failed: WorkflowExecutionInfo[],
  queries: string[],
  latest: Record<string, { runId: string; status: { name: string }; startTime: Date }> = {},
): Client {
  return {
    options: { loadedDataConverter: { payloadCodecs: [] } },
    workflow: {
      getHandle: (id: string) => ({
        describe: () => {
          queries.push(`describe ${id}`);
          const f = failed.find((i) => i.workflowId === id)!;
          return Promise.resolve(latest[id] ?? { runId: f.runId, status: { name: 'FAILED' }, startTime: f.startTime });
        },
      }),
      list: async function* ({ query }: { query: string }) {
        queries.push(query);
        literals(query); // Temporal refuses an unterminated literal; so does the fake
        if (query.startsWith("ExecutionStatus = 'Failed'")) yield* failed;
      },
    },
    workflowService: {
      describeNamespace: () => Promise.resolve({ config: { workflowExecutionRetentionTtl: { seconds: 86400 } } }),
    },
  } as unknown as Client;
}

const tables = { archiveTable: 'T/a', archiveInputsPrefix: 'F/a', auditTable: 'T/b' };

describe('DLQ with hostile trace ids', () => {
  it('one quoting helper: every value reads back exactly as Temporal parses it', () => {
    for (const v of HOSTILE) assert.deepEqual(literals(`WorkflowId = ${queryString(v)}`), [v]);
  });

  it('lists entries whose ids end in a backslash or hold quotes: every query it sends is well formed', async () => {
    const queries: string[] = [];
    const ids = HOSTILE.map((t) => `xact-${t}`);
    const store = new LocalObjectStore('/nonexistent');
    const dlq = new DlqService(
      fakeClient(
        ids.map((id) => info(id)),
        queries,
      ),
      'default',
      'http://ui',
      store,
      tables,
    );
    const entries = await dlq.entries();
    assert.deepEqual(entries.map((e) => e.workflowId).sort(), [...ids].sort());
    const superseded = queries.find((q) => q.startsWith('WorkflowId IN'));
    assert.ok(superseded, queries.join('\n'));
    // Ids a SQL visibility store cannot match by value (backslash, double quote) are looked up by describe.
    const [inQuery, described] = [ids.filter(queryMatchable), ids.filter((id) => !queryMatchable(id))];
    assert.deepEqual(literals(superseded).slice(0, inQuery.length), inQuery, 'each id is one literal, whole');
    assert.deepEqual(
      queries.filter((q) => q.startsWith('describe ')).sort(),
      described.map((id) => `describe ${id}`).sort(),
    );
    assert.ok(described.includes('xact-abc\\'));
  });

  it('an entry with a backslash in its id that a later run superseded is not listed', async () => {
    const failed = info('xact-abc\\');
    const later = {
      runId: 'new-run',
      status: { name: 'COMPLETED' },
      startTime: new Date(failed.closeTime!.getTime() + 5),
    };
    const client = fakeClient([failed, info('xact-plain')], [], { 'xact-abc\\': later });
    const dlq = new DlqService(client, 'default', 'http://ui', new LocalObjectStore('/nonexistent'), tables);
    assert.deepEqual(
      (await dlq.entries()).map((e) => e.workflowId),
      ['xact-plain'],
    );
  });

  it("the archive folder of any workflow id is one bounded segment, and an ordinary id's folder is unchanged", () => {
    const folder = (id: string) => boundedSegment(id, '', { encode: encodeURIComponent });
    assert.equal(folder('xact-7f3c2a9e-1b4d'), 'xact-7f3c2a9e-1b4d');
    assert.equal(folder("xact-a b'c"), encodeURIComponent("xact-a b'c"));
    const long = folder(`xact-${'\u{1F600}'.repeat(120)}`);
    assert.ok(Buffer.byteLength(long) <= 255, `${Buffer.byteLength(long)} bytes`);
    assert.match(long, /^xact-(%F0%9F%98%80)+~[0-9a-f]{8}$/, 'cut between characters, tagged with a hash');
    assert.notEqual(long, folder(`xact-${'\u{1F600}'.repeat(119)}\u{1F601}`));
  });

  it('the monitor archives every other entry when one cannot be written, and says how many were skipped', async () => {
    const entries = ['c', 'b', 'old-poison'].map((t, i) => ({
      workflowId: `xact-${t}`,
      runId: `r-${t}`,
      traceId: t,
      kind: 'event',
      failedAt: new Date(Date.UTC(2026, 11, 5, 8, 3 - i)).toISOString(), // newest first, as entries() sorts
      category: 'permanent',
      stage: 'download',
      domain: 'xact',
      eventType: 'documentsReceived',
      uiUrl: '',
      memo: {},
    })) as DlqEntry[];
    const archived = new Set<string>();
    const fake = {
      entries: () => Promise.resolve(entries),
      retentionSeconds: () => Promise.resolve(86400),
      run: () => Promise.resolve({ steps: [] } as unknown as RunFailure),
      archive: {
        archivedRunIds: () => Promise.resolve(new Set<string>()),
        recordFailure: (e: DlqEntry) => {
          if (e.traceId === 'old-poison') return Promise.reject(new Error('ENAMETOOLONG: name too long'));
          archived.add(e.runId);
          return Promise.resolve();
        },
      },
    } as unknown as DlqService;
    const lines: string[] = [];
    const registry = new Registry();
    const monitor = new DlqMonitor(
      registry,
      fake,
      createLogger('bridge', { level: 'debug', format: 'json', write: (l) => lines.push(l) }),
    );
    await assert.rejects(monitor.refresh(), /ENAMETOOLONG/);
    assert.deepEqual([...archived].sort(), ['r-b', 'r-c']);
    const unarchived = (await registry.getSingleMetric('pipeline_dlq_unarchived')!.get()).values;
    assert.deepEqual(
      unarchived.filter((v) => v.labels.domain === 'xact').map((v) => v.value),
      [1],
    );
    assert.ok(
      lines.some((l) => /DLQ entries not archived this round/.test(l) && /"count":1/.test(l)),
      lines.join('\n'),
    );
    // Next round: the entry that failed is tried again (after any new ones), still without holding anything back.
    await assert.rejects(monitor.refresh(), /ENAMETOOLONG/);
  });

  it('dlq replay --set-url on a claimx entry is a usage error that says what to do', async () => {
    const entry = { workflowId: 'claimx-e1', runId: 'r1', kind: 'event', domain: 'claimx' } as DlqEntry;
    const fake = {
      findWithDescription: () => Promise.resolve({ entry, description: {} }),
      run: () =>
        Promise.resolve({
          workflowType: 'ingestClaimxEvent',
          input: { event: { eventId: 'e1', projectId: '4821937', mediaId: '1' } },
          steps: [],
          replayCount: 0,
        } as unknown as RunFailure),
    } as unknown as DlqService;
    await assert.rejects(
      replayAmended(fake, 'claimx-e1', [{ from: 'https://a/x.jpg', to: 'https://b/x.jpg' }], {
        reason: 'r',
        operator: 'op',
      }),
      (err: Error) => err instanceof DlqUsageError && /claimx/.test(err.message) && /dlq replay/.test(err.message),
    );
  });
});
