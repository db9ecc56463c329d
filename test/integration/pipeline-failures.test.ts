import assert from 'node:assert/strict';
import fs from 'node:fs';
import { invalidMessageWorkflowId, xactWorkflowId } from '../../src/shared/ids';
import type { InvalidMessageInput } from '../../src/shared/pipeline-types';
import { xactEventId } from '../../src/shared/uuid5';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { ensureStack } from '../support/stack';

const PRIVATE = '10.255.255.1'; // allowlisted below on purpose: the address check, not the allowlist, must refuse it

describe('xact pipeline failures become visible DLQ entries', function () {
  this.timeout(600_000);
  let h: PipelineHarness;

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({
      ALLOWED_ATTACHMENT_DOMAINS: `127.0.0.1,${PRIVATE}`,
      DOWNLOAD_HTTP_HOSTS: `127.0.0.1,${PRIVATE}`,
    });
  });
  after(() => h?.stop());

  it('retries transient failures to success and fails permanent ones with a clear reason, stage and category', async () => {
    const s = h.sample.url;
    const cases = {
      flaky: { urls: [`${s}/flaky/2/f1/estimate.pdf`], ok: true },
      notFound: {
        urls: [`${s}/status/404/n1/estimate.pdf`],
        type: 'HttpPermanent',
        stage: 'download',
        category: 'permanent',
        reason: /HTTP 404/,
      },
      expired: {
        urls: [`${s}/files/e1/estimate.pdf?X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-Signature=topsecret`],
        type: 'PresignedUrlExpired',
        stage: 'validate',
        category: 'permanent',
        reason: /presigned URL expired at 2020-01-01T00:01:00.000Z/,
      },
      badType: {
        urls: [`${s}/files/t1/setup.exe`],
        type: 'FileTypeNotAllowed',
        stage: 'validate',
        category: 'permanent',
        reason: /\.exe is not allowed/,
      },
      foreignHost: {
        urls: ['https://not-allowed.example/estimate.pdf'],
        type: 'UrlNotAllowed',
        stage: 'validate',
        category: 'permanent',
        reason: /not-allowed\.example is not in ALLOWED_ATTACHMENT_DOMAINS/,
      },
      privateRedirect: {
        urls: [`${s}/redirect/r1/estimate.pdf?to=${encodeURIComponent(`http://${PRIVATE}/estimate.pdf`)}`],
        type: 'PrivateAddress',
        stage: 'validate',
        category: 'permanent',
        reason: /10\.255\.255\.1 is a private/,
      },
      mixed: {
        urls: [`${s}/files/m1/good.pdf`, `${s}/status/410/m1/gone.pdf`],
        type: 'HttpPermanent',
        stage: 'download',
        category: 'permanent',
        reason: /HTTP 410/,
      },
    } as const;
    const events = Object.values(cases).map((c, i) => h.eventWith(1000 + i, [...c.urls]));
    await h.produceEvents(events);
    const runs = await h.waitFor(events.map((e) => xactWorkflowId(String(e.traceId))));
    const byCase = new Map(
      Object.keys(cases).map((name, i) => [name, runs.get(xactWorkflowId(String(events[i]!.traceId)))!]),
    );

    assert.equal(byCase.get('flaky')!.status, 'completed');
    assert.equal(h.sample.requests('/flaky/2/f1/estimate.pdf'), 3, 'two 503 answers, then success');
    for (const [name, c] of Object.entries(cases)) {
      if ('ok' in c) continue;
      const run = byCase.get(name)!;
      assert.equal(run.status, 'failed', name);
      assert.equal(run.failureType, 'AttachmentsFailed', name);
      assert.match(run.message ?? '', c.reason, name);
      assert.match(run.message ?? '', new RegExp(c.type), name);
      assert.doesNotMatch(run.message ?? '', /topsecret/, `${name}: signature in the failure message`);
      assert.deepEqual(run.searchAttributes.ErrorCategory, [c.category], name);
      assert.deepEqual(run.searchAttributes.FailedStage, [c.stage], name);
    }
    assert.equal(h.sample.requests('/files/e1/estimate.pdf'), 0, 'an expired presigned URL is never requested');
    assert.equal(h.sample.requests('/files/t1/setup.exe'), 0, 'a disallowed type is never requested');

    // Every event has its row; only transferred attachments have files and inventory rows.
    const eventRows = (await readWithDeltaRs(h.tablePath('events'))).rows;
    assert.deepEqual(
      new Set(eventRows.map((r) => r.event_id)),
      new Set(events.map((e) => xactEventId(String(e.traceId)))),
    );
    const inventory = (await readWithDeltaRs(h.tablePath('attachments'))).rows;
    const names = inventory.map((r) => String(r.blob_path).split('/').pop()).sort();
    assert.equal(names.length, 2);
    assert.match(names[0]!, /_estimate\.pdf$/); // the flaky one, after its retries
    assert.match(names[1]!, /_good\.pdf$/); // the good half of the mixed event
    const files = fs.readdirSync(h.filePath(''), { recursive: true }).filter((f) => /\.[a-z]+$/.test(String(f)));
    assert.equal(files.length, 2, `files written: ${files.join(', ')}`);
  });

  it('turns malformed messages into failed runs holding the raw payload, and the partition keeps flowing', async () => {
    const good1 = h.eventWith(2001, []);
    const good2 = h.eventWith(2002, []);
    const messages = [
      { value: 'this is { not json', key: 'bad-1', partition: 0 },
      { value: JSON.stringify(good1), partition: 0 },
      {
        value: JSON.stringify({
          type: 'verisk.claims.property.xn.documentsReceived',
          utcDateTime: '2025-12-27T14:05:11Z',
          data: {},
        }),
        partition: 0,
      },
      { value: JSON.stringify(good2), partition: 0 },
    ];
    const offsets = await h.produce(messages);
    const source = (offset: string) => ({ topic: h.topic, partition: 0, offset, timestamp: '' });
    const badIds = [invalidMessageWorkflowId(source(offsets[0]!)), invalidMessageWorkflowId(source(offsets[2]!))];
    const goodIds = [good1, good2].map((e) => xactWorkflowId(String(e.traceId)));
    const runs = await h.waitFor([...badIds, ...goodIds]);
    for (const id of goodIds) assert.equal(runs.get(id)!.status, 'completed');
    const [notJson, noTrace] = badIds.map((id) => runs.get(id)!);
    for (const [run, i, reason] of [
      [notJson, 0, /not JSON/],
      [noTrace, 2, /missing traceId/],
    ] as const) {
      assert.equal(run!.status, 'failed');
      assert.equal(run!.failureType, 'InvalidEvent');
      assert.match(run!.message ?? '', reason);
      assert.match(run!.message ?? '', new RegExp(`${h.topic}/0@${offsets[i]}`));
      const input = run!.details?.[0] as InvalidMessageInput;
      assert.equal(input.payload, messages[i]!.value);
      assert.equal(input.source.offset, offsets[i]);
      assert.deepEqual(run!.searchAttributes.ErrorCategory, ['invalid_event']);
      assert.deepEqual(run!.searchAttributes.FailedStage, ['decode']);
    }
  });

  it('refuses an allowlisted name that resolves to 127.0.0.1 while private-address blocking is on (the default)', async () => {
    const strict = await PipelineHarness.start({
      ALLOWED_ATTACHMENT_DOMAINS: 'localhost',
      DOWNLOAD_HTTP_HOSTS: 'localhost',
      DOWNLOAD_ALLOW_LOOPBACK: 'false',
    });
    try {
      const event = strict.eventWith(3001, [`http://localhost:${strict.sample.port}/files/l1/estimate.pdf`]);
      await strict.produceEvents([event]);
      const run = (await strict.waitFor([xactWorkflowId(String(event.traceId))])).values().next().value!;
      assert.equal(run.status, 'failed');
      assert.match(run.message ?? '', /PrivateAddress: localhost resolves to .* loopback address/);
      assert.equal(strict.sample.requests(), 0);
    } finally {
      await strict.stop();
    }
  });
});
