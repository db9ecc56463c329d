import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { DlqMonitor } from '../../src/dlq/dlq-monitor';
import { createLogger } from '../../src/observability/logger';
import { xactWorkflowId } from '../../src/shared/ids';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack, ROOT } from '../support/stack';
import { decodedView } from '../support/decoded-view';

const run = promisify(execFile);

/**
 * Issue 30 item 5, as a user would meet it: signed URLs written with escaped slashes, unicode escapes or inside a
 * JSON string, produced straight to Kafka, leave no signature in xact_events, the DLQ archive or `dlq list/view`.
 */
describe('escaped signed URLs leave no secret in tables or DLQ output (real stack)', function () {
  this.timeout(600_000);
  let h: PipelineHarness;
  const SECRET = `EscapedSig${randomUUID().replace(/-/g, '')}`;

  const cli = async (...args: string[]) => {
    const r = await run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'dlq', ...args], {
      env: { ...process.env, LAKEHOUSE_DIR: h.lakehouse, TEMPORAL_TASK_QUEUE: h.config.taskQueue },
      maxBuffer: 64 * 1024 * 1024,
    });
    return r.stdout;
  };
  const noSecret = (where: string, text: string) =>
    assert.ok(!decodedView(text).includes(SECRET), `${where} holds the signature: ${text.slice(0, 2000)}`);

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({ RETRY_MAX_ATTEMPTS: '2' });
  });
  after(() => h?.stop());

  it('an event with a string data, an escaped attachment and an invalid message: no signature anywhere', async () => {
    const signed = `https://host.example.com/x.pdf?X-Amz-Signature=${SECRET}&X-Amz-Date=20260101T000000Z`;
    const escaped = signed.replace(/\//g, '\\/');
    const unicode = signed.replace(/[:/?&=]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const stringData: Record<string, unknown> = { ...h.eventWith(1, []), traceId: `esc-string-${randomUUID()}` };
    stringData.data = `{"attachments":["${escaped}"]}`;
    const inNote = h.eventWith(2, []);
    Object.assign(inNote, { traceId: `esc-note-${randomUUID()}` });
    (inNote.data as Record<string, unknown>).note = `see ${escaped} and ${unicode}`;
    await h.produceEvents([stringData, inNote]);
    await h.produce([{ key: `esc-invalid-${randomUUID()}`, value: `{not json "${escaped}" ${unicode}` }]);

    const ids = [stringData, inNote].map((e) => xactWorkflowId(String(e.traceId)));
    await h.waitFor(ids);
    const scope = `TaskQueue = '${h.config.taskQueue}'`;
    let listed = '';
    await until('the invalid message is a DLQ entry', async () => {
      listed = await cli('list', '--query', scope, '--json');
      return listed.includes('invalid');
    });
    await new DlqMonitor(new Registry(), h.dlqService(), createLogger('bridge', { level: 'error' }), {
      query: scope,
    }).refresh();

    noSecret('dlq list --json', listed);
    assert.ok((JSON.parse(listed) as { items: unknown[] }).items.length >= 1);
    for (const id of listed.match(/"invalid-[^"]+"|"esc-[^"]+"/g) ?? []) {
      noSecret(`dlq view ${id}`, await cli('view', JSON.parse(id) as string, '--json'));
    }
    for (const table of [h.config.xactEventsTable, h.config.dlqArchiveTable]) {
      const dir = path.join(h.lakehouse, table);
      if (!fs.existsSync(dir)) continue;
      noSecret(table, JSON.stringify((await readWithDeltaRs(dir)).rows));
    }
    const events = JSON.stringify((await readWithDeltaRs(path.join(h.lakehouse, h.config.xactEventsTable))).rows);
    assert.ok(events.includes('host.example.com'), 'the note row is there, its URL redacted, not dropped');
  });
});
