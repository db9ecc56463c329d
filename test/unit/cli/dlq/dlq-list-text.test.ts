import assert from 'node:assert/strict';
import { archivedListText } from '../../../../src/cli/dlq/dlq-archive-format';
import { auditText, listText, viewText } from '../../../../src/cli/dlq/dlq-format';
import { column } from '../../../../src/cli/common/text-columns';
import type { ArchivedEntry } from '../../../../src/dlq/archive';
import type { DlqListItem } from '../../../../src/dlq/dlq-service';
import type { RunFailure } from '../../../../src/dlq/history';

const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s && !s.includes('\uFFFD');

function item(traceId: string, what = 'HTTP 404'): DlqListItem {
  return {
    workflowId: `xact-${traceId}`,
    runId: 'r1',
    traceId,
    kind: 'event',
    failedAt: '2026-12-05T08:00:00.000Z',
    category: 'permanent',
    stage: 'download',
    domain: 'xact',
    eventType: 'documentsReceived',
    uiUrl: 'http://ui/r1',
    memo: {},
    attempts: 1,
    replays: 0,
    what,
  };
}

describe('dlq list text: ids of any script', () => {
  const stats = { oldestAgeSeconds: 60, retentionSeconds: 86400 };

  it('cuts a long emoji trace id between characters, never inside one (no U+FFFD, no half surrogate)', () => {
    const text = listText(1, [item('\u{1F600}'.repeat(120))], stats);
    const row = text.split('\n')[2];
    assert.ok(wellFormed(row!), JSON.stringify(row!.slice(0, 60)));
    assert.match(row!, /^\u{1F600}{18}… {2}2026-12-05T08:00:00 /u);
    const archived = archivedListText('Tables/pipeline_dlq', [
      {
        entry: { failed: { ...item('\u{1F600}'.repeat(120)), failure: 'x' } } as unknown as ArchivedEntry,
        where: 'archive only',
      },
    ]);
    assert.ok(wellFormed(archived.split('\n')[2]!));
  });

  it('keeps the columns aligned in terminal cells (wide characters take two) and shows bidi controls as U+FFFD', () => {
    const rows = listText(3, [item('plain-id'), item('見積'.repeat(30)), item('abc\u202Egnp.exe', 'x\u202Ey')], stats)
      .split('\n')
      .filter((l) => l.includes('2026-12-05T08'));
    const cellsBefore = (l: string) => {
      const head = l.slice(0, l.indexOf('2026-12-05T08'));
      return [...head].reduce((n, ch) => n + (/[\u3000-\u9FFF]/.test(ch) ? 2 : 1), 0);
    };
    assert.deepEqual(rows.map(cellsBefore), [39, 39, 39]);
    assert.ok(rows.every((l) => !l.includes('\u202E')));
    assert.equal(
      column('a\u{1F468}\u200D\u{1F469}\u200D\u{1F467}b', 10),
      'a\u{1F468}\u200D\u{1F469}\u200D\u{1F467}b      ',
    );
    assert.equal(
      [...column('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'.repeat(5), 5)].join(''),
      '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u{1F468}\u200D\u{1F469}\u200D\u{1F467}…',
    );
  });

  it('dlq view and dlq audit show a bidi override in an id or a reason as U+FFFD, lines kept', () => {
    const run = {
      workflowType: 'ingestXactEvent',
      input: { event: { traceId: 'abc\u202Egnp.exe' } },
      source: null,
      failure: { type: 'AttachmentsFailed', message: 'line one\nline \u202Etwo', at: null },
      outcomes: [],
      steps: [],
      replay: null,
      replayCount: 0,
    } as RunFailure;
    const audit = [
      {
        time: '2026-12-05T08:00:00.000Z',
        operator: 'op\u202E',
        action: 'resolve' as const,
        traceId: 'abc\u202Egnp.exe',
        workflowId: 'xact-abc',
        runId: 'r1',
        reason: 'why\u2066',
        result: 'resolved',
      },
    ];
    const view = viewText(item('abc\u202Egnp.exe'), run, audit);
    assert.ok(!/[\u202E\u2066]/.test(view), view);
    assert.match(view, /Event abc\uFFFDgnp\.exe\n/);
    assert.match(view, /\n {2}line one\n {2}line \uFFFDtwo\n/);
    assert.doesNotMatch(auditText(audit), /[\u202E\u2066]/);
  });
});
