// Records workflow histories of real runs as replay-test fixtures (test/fixtures/histories/*.pb):
//   npx tsx test/support/record-histories.ts <prefix> [--invalid] [--edges]   (needs the local stack: npm run stack:up)
// e.g. `local-transfer-` records, with today's code, `local-transfer-completed-two-attachments.pb`,
// `local-transfer-failed-one-of-two-attachments.pb`, `local-transfer-claimx-completed.pb` and
// `local-transfer-claimx-failed.pb`; `edge- --edges` records the rarer paths instead (a claim check, a plan's
// refusal, nothing transferred, a link refreshed, a failed step, no handler). Re-record only on purpose: the fixtures
// guard that today's workflow code still replays yesterday's runs, so a fixture of an older shape is never
// re-recorded (its code is gone).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { TypedSearchAttributes, WorkflowIdReusePolicy } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decodeClaimxEvent } from '../../src/shared/claimx-event';
import {
  CLAIMX_DOMAIN,
  claimxWorkflowId,
  invalidMessageWorkflowId,
  WORKFLOW_TYPES,
  xactWorkflowId,
} from '../../src/shared/ids';
import type { IngestClaimxInput } from '../../src/shared/pipeline-types';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { type ClaimxApiStandin, startClaimxApiStandin } from '../../dev/claimx-api-standin';
import { sampleEvent } from '../../src/domains/xact/sample';
import { PipelineHarness } from './pipeline-harness';

const TOKEN = 'cmVjb3JkZXI=';

async function main(): Promise<void> {
  const prefix = process.argv[2];
  if (!prefix || prefix.startsWith('--')) throw new Error('usage: record-histories.ts <prefix> [--invalid] [--edges]');
  const edges = process.argv.includes('--edges');
  const api = await startClaimxApiStandin({ token: TOKEN });
  const h = await PipelineHarness.start({
    CLAIMX_API_URL: api.url,
    CLAIMX_API_TOKEN: TOKEN,
    // The smallest input limit: the edge set's large event travels as a claim check.
    ...(edges ? { BRIDGE_MAX_INPUT_BYTES: '16384' } : {}),
  });
  try {
    const ids = edges ? await edgeRuns(h, api, prefix) : await commonRuns(h, api, prefix);
    const dir = path.join(__dirname, '..', 'fixtures', 'histories');
    for (const [name, id] of Object.entries(ids)) {
      // Binary protobuf (the JSON form needs a protobufjs copy that does not match @temporalio/proto's here).
      const history = await h.client.workflow.getHandle(id).fetchHistory();
      fs.writeFileSync(path.join(dir, `${name}.pb`), temporal.api.history.v1.History.encode(history).finish());
      console.log(`recorded ${name} (${history.events?.length} events)`);
    }
  } finally {
    await h.stop();
    await api.close();
  }
}

/** The common shapes: xact completed and failed, claimx completed and failed after its link refreshes run out. */
async function commonRuns(h: PipelineHarness, api: ClaimxApiStandin, prefix: string): Promise<Record<string, string>> {
  const ok = sampleEvent(1, { sampleUrl: h.sample.url, attachments: 2 });
  const failed = sampleEvent(2, { sampleUrl: h.sample.url, attachments: 2 });
  (failed.data as { attachments: string[] }).attachments[1] = `${h.sample.url}/status/404/x/missing.pdf`;
  await h.produceEvents([ok, failed]);
  const [offset] = await h.produce([{ value: 'not json', partition: 0 }]);
  const ids: Record<string, string> = {
    [`${prefix}completed-two-attachments`]: xactWorkflowId(String(ok.traceId)),
    [`${prefix}failed-one-of-two-attachments`]: xactWorkflowId(String(failed.traceId)),
    ...(process.argv.includes('--invalid') && offset !== undefined
      ? { 'invalid-message': invalidMessageWorkflowId({ topic: h.topic, partition: 0, offset, timestamp: '' }) }
      : {}),
  };
  await h.waitFor(Object.values(ids));
  // claimx: a media event that stores its file, and one whose download is refused until the link refreshes run out.
  const project = String(5_000_000 + Math.floor(Math.random() * 900_000));
  ids[`${prefix}claimx-completed`] = await runClaimx(h, media(project, 1));
  api.refuseNextDownloads(100);
  ids[`${prefix}claimx-failed`] = await runClaimx(h, media(project, 2));
  return ids;
}

/**
 * The edge shapes: an xact event read from a claim check whose attachments are one stored, one refused by the plan
 * and one failed download; an xact event with nothing transferred (no inventory step); an xact event without
 * attachments; a claimx event whose link is refreshed once and then stored; one whose enrichment fails (a failed
 * step); one of an event type without a handler (recorded only).
 */
async function edgeRuns(h: PipelineHarness, api: ClaimxApiStandin, prefix: string): Promise<Record<string, string>> {
  const s = h.sample.url;
  const large = h.eventWith(3, [
    `${s}/files/c3/good.pdf`,
    'https://not-allowed.example/c3.pdf',
    `${s}/status/404/c3/x.pdf`,
  ]);
  const checked: Record<string, unknown> = {
    ...large,
    data: { ...(large.data as object), estimateNotes: 'x'.repeat(20_000) },
  };
  const none = h.eventWith(4, ['https://not-allowed.example/n4.pdf', `${s}/status/404/n4/x.pdf`]);
  const empty = h.eventWith(5, []);
  await h.produceEvents([checked, none, empty]);
  const ids: Record<string, string> = {
    [`${prefix}xact-claim-check-mixed`]: xactWorkflowId(String(checked.traceId)),
    [`${prefix}xact-none-transferred`]: xactWorkflowId(String(none.traceId)),
    [`${prefix}xact-no-attachments`]: xactWorkflowId(String(empty.traceId)),
  };
  await h.waitFor(Object.values(ids));
  const project = String(5_000_000 + Math.floor(Math.random() * 900_000));
  api.refuseNextDownloads(2); // the local attempt and the regular one: the link is refreshed
  ids[`${prefix}claimx-refreshed`] = await runClaimx(h, media(project, 3));
  api.failNext('/export/project/', 404, 1);
  ids[`${prefix}claimx-enrich-failed`] = await runClaimx(h, media(project, 4));
  ids[`${prefix}claimx-no-handler`] = await runClaimx(h, { ...media(project, 5), event_type: 'SOMETHING_UNHANDLED' });
  return ids;
}

/** A PROJECT_FILE_ADDED message of `project` naming its `n`th media file. */
function media(project: string, n: number): Record<string, string> {
  return {
    project_id: project,
    event_type: 'PROJECT_FILE_ADDED',
    media_id: `${project}${n}`,
    ingested_at: new Date().toISOString(),
    event_id: randomUUID(),
  };
}

/** Runs one claimx message's workflow to its end (completed or failed); returns its workflow id. */
async function runClaimx(h: PipelineHarness, message: Record<string, string>): Promise<string> {
  const decoded = decodeClaimxEvent(JSON.stringify(message));
  if (!decoded.ok) throw new Error(decoded.reason);
  const input: IngestClaimxInput = {
    event: decoded.event,
    source: { topic: 'claimx.events.raw', partition: 0, offset: '0', timestamp: String(Date.now()) },
    retry: { initialIntervalMs: 1000, backoffCoefficient: 1, maximumIntervalMs: 1000, maximumAttempts: 2 },
    transferTimeoutMs: 60_000,
  };
  const id = claimxWorkflowId(decoded.event.eventId);
  const handle = await h.client.workflow.start(WORKFLOW_TYPES.ingestClaimxEvent, {
    taskQueue: h.config.taskQueue,
    workflowId: id,
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SEARCH_ATTRIBUTES.domain, value: CLAIMX_DOMAIN },
      { key: SEARCH_ATTRIBUTES.traceId, value: decoded.event.eventId },
      { key: SEARCH_ATTRIBUTES.eventType, value: decoded.event.eventType },
    ]),
  });
  await handle.result().catch(() => undefined);
  return id;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
