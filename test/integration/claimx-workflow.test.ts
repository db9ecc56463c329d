import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { TypedSearchAttributes, WorkflowIdReusePolicy } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { replay } from '../../src/dlq/replay';
import { CLAIMX_DOMAIN, claimxWorkflowId, WORKFLOW_TYPES } from '../../src/shared/ids';
import { CLAIMX_EVENT_TYPES, type ClaimxEvent, decodeClaimxEvent } from '../../src/shared/claimx-event';
import type { IngestClaimxInput } from '../../src/shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { type ClaimxApiStandin, startClaimxApiStandin } from '../../dev/claimx-api-standin';
import { readWithDeltaRs } from '../support/delta-rs';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack } from '../support/stack';

const TOKEN = 'c3RhbmRpbg==';

/**
 * ingestClaimxEvent on the real stack (Temporal, the worker, the Delta writer, delta-rs as reader) against the local
 * ClaimX API stand-in. The runs are started as the bridge will start them (the bridge's claimx topic comes next).
 */
describe('claimx events end to end through the workflow (ClaimX API stand-in)', function () {
  this.timeout(300_000);
  let h: PipelineHarness;
  let api: ClaimxApiStandin;
  const project = String(4_000_000 + Math.floor(Math.random() * 900_000));
  const tables = () => path.join(h.lakehouse, 'Tables');

  const event = (fields: Record<string, unknown>): ClaimxEvent => {
    const r = decodeClaimxEvent(
      JSON.stringify({ project_id: project, ingested_at: new Date().toISOString(), event_id: randomUUID(), ...fields }),
    );
    assert.ok(r.ok);
    return r.event;
  };
  const start = (e: ClaimxEvent, workflowId = claimxWorkflowId(e.eventId)) => {
    const input: IngestClaimxInput = {
      event: e,
      source: { topic: 'claimx.events.raw', partition: 0, offset: '0', timestamp: String(Date.now()) },
      retry: { initialIntervalMs: 1000, backoffCoefficient: 1, maximumIntervalMs: 1000, maximumAttempts: 3 },
      transferTimeoutMs: 60_000,
    };
    return h.client.workflow.start(WORKFLOW_TYPES.ingestClaimxEvent, {
      taskQueue: h.config.taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: SEARCH_ATTRIBUTES.domain, value: CLAIMX_DOMAIN },
        { key: SEARCH_ATTRIBUTES.traceId, value: e.eventId },
        { key: SEARCH_ATTRIBUTES.eventType, value: e.eventType },
      ]),
    });
  };
  const rows = async (table: string) => (await readWithDeltaRs(path.join(tables(), table))).rows;

  before(async () => {
    await ensureStack();
    api = await startClaimxApiStandin({ token: TOKEN });
    h = await PipelineHarness.start(
      { CLAIMX_API_URL: api.url, CLAIMX_API_TOKEN: TOKEN, RETRY_MAX_ATTEMPTS: '3' },
      { bridge: false },
    );
  });
  after(async () => {
    await h?.stop();
    await api?.close();
  });

  it('one event of every type: one run each, entity rows merged, the media file stored', async () => {
    const media = `${project}7`;
    const events = [
      event({ event_type: 'PROJECT_CREATED' }),
      event({ event_type: 'PROJECT_FILE_ADDED', media_id: media }),
      event({ event_type: 'CUSTOM_TASK_ASSIGNED', task_assignment_id: '4242' }),
      event({ event_type: 'VIDEO_COLLABORATION_COMPLETED' }),
      event({ event_type: 'PROJECT_AUTO_XA_LINKING_UNSUCCESSFUL' }),
      event({ event_type: 'SOMETHING_NEW' }),
    ];
    for (const e of events) await (await start(e)).result();
    const mine = (r: Record<string, unknown>) => String(r.project_id) === project;
    assert.equal((await rows('claimx_events')).filter(mine).length, 6);
    const projects = (await rows('claimx_projects')).filter(mine);
    assert.equal(projects.length, 1, 'one row per project');
    assert.equal(projects[0]!.xa_autolink_fail, true);
    assert.equal(projects[0]!.project_number, `P-${project}`);
    assert.equal((await rows('claimx_attachments_metadata')).filter(mine).length, 1);
    const stored = (await rows('claimx_attachments')).filter(mine);
    assert.deepEqual(
      stored.map((r) => r.blob_path),
      [`${project}/media/photo_${media}.jpg`],
    );
    const file = path.join(h.lakehouse, h.config.claimxFilesPrefix, String(stored[0]!.blob_path));
    assert.equal(fs.statSync(file).size, 20_000);
    assert.ok((await rows('claimx_tasks')).some((r) => String(r.assignment_id) === '4242'));
    assert.equal((await rows('claimx_video_collab')).filter((r) => String(r.claim_id) === project).length, 1);

    // The same media event again (a redelivery or replay under another run): no table gains a row.
    const again = await start(events[1]!, `claimx-again-${randomUUID()}`);
    await again.result();
    assert.equal((await rows('claimx_attachments')).filter(mine).length, 1);
    assert.equal((await rows('claimx_attachments_metadata')).filter(mine).length, 1);
  });

  it('an expired media link is refreshed through the API and the download completes; the refresh is in the history', async () => {
    // An expired link is refused to the transfer's local first attempt and to the regular activity it hands over to.
    api.refuseNextDownloads(2);
    const e = event({ event_type: 'PROJECT_FILE_ADDED', media_id: `${project}8` });
    const handle = await start(e);
    const summary = await handle.result();
    assert.equal(summary.attachments[0]!.status, 'transferred');
    const history = await handle.fetchHistory();
    const activities = (history.events ?? [])
      .map((ev) => ev.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    assert.ok(activities.includes('refreshClaimxMedia'), activities.join(','));
  });

  it('an API outage: the run waits and completes when the API is back', async () => {
    api.outage(true);
    const before = api.calls().length;
    const handle = await start(event({ event_type: 'PROJECT_CREATED' }));
    await until('the run tried the API', () => Promise.resolve(api.calls().length > before));
    api.outage(false);
    await handle.result();
  });

  it('through Kafka (BRIDGE_DOMAIN=claimx): 200 events of every type, one run each, one row per key, duplicates and a bad message', async () => {
    const k = await PipelineHarness.start(
      {
        BRIDGE_DOMAIN: 'claimx',
        CLAIMX_API_URL: api.url,
        CLAIMX_API_TOKEN: TOKEN,
        TEMPORAL_TASK_QUEUE: h.config.taskQueue,
      },
      { worker: false },
    );
    try {
      // Every enriched type and one the pipeline does not enrich; each project gets 20 events in a row, so all of them.
      const types = [...CLAIMX_EVENT_TYPES, 'SOMETHING_NEW'];
      const projects = Array.from({ length: 10 }, (_, p) => String(Number(project) + 1 + p));
      const sent = Array.from({ length: 200 }, (_, i) => {
        const type = types[i % types.length]!;
        return {
          event_type: type,
          projectId: Number(projects[Math.floor(i / 20)]), // camelCase and a numeric id, as producers send them too
          IngestionTime: new Date(Date.UTC(2026, 11, 4, 9, 0, 0, i)).toISOString(),
          ...(type === 'PROJECT_FILE_ADDED' ? { media_id: `${project}${1000 + i}` } : {}),
          ...(type.startsWith('CUSTOM_TASK') ? { task_assignment_id: 5000 + i } : {}),
          ...(type === 'PROJECT_MFN_ADDED' ? { masterFileName: `MFN-${i}` } : {}),
        };
      });
      const mediaCount = sent.filter((e) => e.event_type === 'PROJECT_FILE_ADDED').length;
      const assignments = new Set(
        sent.flatMap((e) => ('task_assignment_id' in e ? [String(e.task_assignment_id)] : [])),
      );
      const produce = (list: Record<string, unknown>[]) =>
        k.produce(list.map((e) => ({ key: String(e.projectId), value: JSON.stringify(e) })));
      await produce(sent);
      await produce(sent.slice(0, 5)); // delivered twice
      await k.produce([{ key: 'x', value: '{"event_type": "PROJECT_CREATED"}' }]); // no project id
      const ids = sent.map((e) => {
        const r = decodeClaimxEvent(JSON.stringify(e));
        assert.ok(r.ok);
        return claimxWorkflowId(r.event.eventId);
      });
      const outcomes = await k.waitFor(ids);
      assert.equal(outcomes.size, 200);
      assert.deepEqual([...new Set([...outcomes.values()].map((o) => o.status))], ['completed']);
      await until(
        'the bad message is quarantined and all 206 messages are handed over',
        async () => (await k.metric('kafka_messages_consumed_total')) >= 206,
      );
      assert.equal(await k.metric('kafka_messages_consumed_total', { status: 'duplicate' }), 5);
      assert.equal(await k.metric('kafka_messages_consumed_total', { status: 'invalid' }), 1);
      const entries = await k
        .dlqService()
        .entries({ domain: CLAIMX_DOMAIN, query: `TaskQueue = '${h.config.taskQueue}'` });
      assert.ok(entries.some((e) => e.kind === 'invalid' && e.workflowId.startsWith('claimx-invalid-')));
      // delta-rs reads one current row per key in every table these events fill.
      const ofThese = (r: Record<string, unknown>) => projects.includes(String(r.project_id));
      assert.equal((await rows('claimx_events')).filter(ofThese).length, 200);
      const perKey = async (table: string, key: string) => {
        const keys = (await rows(table)).filter(ofThese).map((r) => String(r[key]));
        return { rows: keys.length, keys: new Set(keys).size };
      };
      assert.deepEqual(await perKey('claimx_projects', 'project_id'), { rows: 10, keys: 10 });
      assert.deepEqual(await perKey('claimx_attachments_metadata', 'media_id'), { rows: mediaCount, keys: mediaCount });
      assert.deepEqual(await perKey('claimx_attachments', 'media_id'), { rows: mediaCount, keys: mediaCount });
      for (const r of (await rows('claimx_attachments')).filter(ofThese)) {
        assert.ok(
          fs.existsSync(path.join(h.lakehouse, h.config.claimxFilesPrefix, String(r.blob_path))),
          'file stored',
        );
      }
      const tasks = (await rows('claimx_tasks')).filter((r) => assignments.has(String(r.assignment_id)));
      assert.deepEqual(
        { rows: tasks.length, keys: new Set(tasks.map((r) => String(r.assignment_id))).size },
        {
          rows: assignments.size,
          keys: assignments.size,
        },
      );
      const videos = (await rows('claimx_video_collab')).filter((r) => projects.includes(String(r.claim_id)));
      assert.equal(videos.length, 10, 'one video collaboration row per project');
      const contacts = await perKey('claimx_contacts', 'contact_key');
      assert.equal(contacts.rows, contacts.keys);
      const policyholderJoined = (await rows('claimx_projects'))
        .filter(ofThese)
        .every((r) => r.policyholder_joined_at !== null);
      assert.ok(policyholderJoined, 'every project saw its POLICYHOLDER_JOINED event merged in');
    } finally {
      await k.stop();
    }
  });

  it('a permanent API error is a DLQ entry (stage enrich) that replays after the fix', async () => {
    api.failNext(`/customTasks/assignment/`, 404, 1);
    const e = event({ event_type: 'CUSTOM_TASK_COMPLETED', task_assignment_id: '777001' });
    const handle = await start(e);
    const err = await handle.result().then(
      () => null,
      (x: unknown) => x,
    );
    assert.ok(err instanceof WorkflowFailedError);
    const described = await handle.describe();
    assert.equal(described.searchAttributes.ErrorCategory?.[0], 'permanent');
    assert.equal(described.searchAttributes.FailedStage?.[0], 'enrich');
    const dlq = h.dlqService();
    const entry = await dlq.find(e.eventId);
    assert.equal(entry.domain, CLAIMX_DOMAIN);
    const r = await replay(dlq, e.eventId, { reason: 'assignment restored', operator: 'test' });
    await until('the replayed run completes', async () => {
      const d = await h.client.workflow.getHandle(entry.workflowId, r.newRunId).describe();
      return d.status.name === 'COMPLETED';
    });
    assert.ok((await rows('claimx_tasks')).some((row) => String(row.assignment_id) === '777001'));
  });
});
