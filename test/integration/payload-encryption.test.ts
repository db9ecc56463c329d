import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Registry } from 'prom-client';
import { DlqMonitor } from '../../src/dlq/dlq-monitor';
import { createLogger } from '../../src/observability/logger';
import { xactWorkflowId } from '../../src/shared/ids';
import { PipelineHarness } from '../support/pipeline-harness';
import { until } from '../support/poll';
import { ensureStack, ROOT, TEMPORAL_ADDRESS } from '../support/stack';
import { readWithDeltaRs } from '../support/delta-rs';

const run = promisify(execFile);
const TEMPORAL = path.join(ROOT, '.tools', 'venv', 'bin', 'temporal');
const SECRET = 'SigEnc0123456789';
const KEYS = `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`;

describe('payload encryption: no URL in Temporal, the DLQ and replays still work', function () {
  this.timeout(600_000);
  let h: PipelineHarness;
  let plain: Client;
  let connection: Connection;
  let codecServer: ChildProcess | undefined;

  const env = () => ({
    ...process.env,
    LAKEHOUSE_DIR: h.lakehouse,
    TEMPORAL_TASK_QUEUE: h.config.taskQueue,
    TEMPORAL_PAYLOAD_ENCRYPTION: 'true',
    TEMPORAL_PAYLOAD_KEYS: KEYS,
    USER: 'codec-operator',
  });
  const cli = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), ...args], { env: env() });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  /** Every byte Temporal stores for a run, as its history protobuf, read without any codec. */
  const rawHistory = async (workflowId: string, runId?: string): Promise<string> => {
    const history = await plain.workflow.getHandle(workflowId, runId).fetchHistory();
    return Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
  };
  const failedRun = async (traceId: string, group: string) => {
    const url = `${h.sample.url}/outage/${group}/claims/estimate.pdf?X-Amz-Signature=${SECRET}&part=1`;
    await h.produceEvents([{ ...h.eventWith(1, [url]), traceId }]);
    const wf = xactWorkflowId(traceId);
    made.push(wf);
    assert.equal((await h.waitFor([wf])).get(wf)!.status, 'failed');
    return { wf, runId: (await h.client.workflow.getHandle(wf).describe()).runId };
  };

  before(async () => {
    await ensureStack();
    h = await PipelineHarness.start({
      RETRY_MAX_ATTEMPTS: '2',
      TEMPORAL_PAYLOAD_ENCRYPTION: 'true',
      TEMPORAL_PAYLOAD_KEYS: KEYS,
    });
    connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    plain = new Client({ connection });
  });
  /** Runs this test made: deleted at the end, so no other process meets histories encrypted with its keys. */
  const made: string[] = [];
  after(async () => {
    codecServer?.kill('SIGTERM');
    for (const workflowId of made) {
      await plain.workflowService
        .deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId } })
        .catch(() => undefined);
    }
    await connection?.close();
    await h?.stop();
  });

  it('a failed run keeps no URL, no signature and no error text in its raw history; dlq view and replay decode it', async () => {
    const traceId = `codec-${randomUUID()}`;
    const { wf, runId } = await failedRun(traceId, 'cdn-codec');
    const raw = await rawHistory(wf, runId);
    for (const clear of [SECRET, 'estimate.pdf', 'cdn-codec', 'HTTP 503']) {
      assert.ok(!raw.includes(clear), `raw history holds "${clear}"`);
    }
    assert.ok(raw.includes('binary/encrypted') && raw.includes('k2'), 'payloads encrypted under the first key');
    assert.ok(raw.includes('Encoded failure'), 'failure text moved into the encrypted attributes');

    const view = await cli('dlq', 'view', traceId);
    assert.equal(view.code, 0, view.stderr);
    assert.match(view.stdout, /transferAttachment .*HTTP 503/);
    assert.match(view.stdout, /estimate\.pdf\?X-Amz-Signature=/, 'the URL, its signature redacted');
    assert.doesNotMatch(view.stdout, new RegExp(SECRET));
    const listed = await cli('dlq', 'list', '--json', '--limit', '500');
    const mine = (JSON.parse(listed.stdout) as { items: { workflowId: string; what: string }[] }).items.filter(
      (i) => i.workflowId === wf,
    );
    assert.match(mine[0]?.what ?? '', /estimate\.pdf\?X-Amz-Signature=/, listed.stderr);

    // Without the keys the CLI says what is missing (and a listing still shows every entry).
    const keyless = { ...env(), TEMPORAL_PAYLOAD_ENCRYPTION: 'false', TEMPORAL_PAYLOAD_KEYS: '' };
    const blind = await run(process.execPath, [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'dlq', 'view', traceId], {
      env: keyless,
    }).catch((err: { code: number; stderr: string }) => err);
    assert.equal((blind as { code?: number }).code, 1);
    assert.match((blind as { stderr: string }).stderr, /encrypted payloads .* set TEMPORAL_PAYLOAD_KEYS/);

    h.sample.outage('cdn-codec', false);
    const replayed = await cli('dlq', 'replay', traceId, '--wait', '--reason', 'CDN back');
    assert.equal(replayed.code, 0, replayed.stdout + replayed.stderr);
    assert.match(replayed.stdout, /outcome: completed/);
    const newRun = (await h.client.workflow.getHandle(wf).describe()).runId;
    assert.ok(!(await rawHistory(wf, newRun)).includes(SECRET));
    const attachments = await readWithDeltaRs(h.tablePath('attachments'));
    assert.equal(attachments.rows.filter((r) => r.trace_id === traceId).length, 1, 'the real URL was downloaded');
  });

  it('the archive keeps the input encrypted and replays it after the run is gone', async () => {
    const traceId = `codec-archive-${randomUUID()}`;
    const { wf, runId } = await failedRun(traceId, 'cdn-codec-archive');
    await new DlqMonitor(new Registry(), h.dlqService(), createLogger('bridge', { level: 'error' }), {
      query: `TaskQueue = '${h.config.taskQueue}'`,
    }).refresh();
    const inputFile = path.join(h.lakehouse, h.config.dlqArchiveFilesPrefix, encodeURIComponent(wf), `${runId}.json`);
    const stored = fs.readFileSync(inputFile, 'utf8');
    assert.match(stored, /"encodedPayload"/);
    assert.ok(!stored.includes(SECRET) && !Buffer.from(stored).toString('latin1').includes('estimate.pdf'));

    await h.client.workflowService.deleteWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: wf, runId },
    });
    await until('Temporal no longer has the run', () =>
      h.client.workflow
        .getHandle(wf)
        .describe()
        .then(
          () => false,
          (err: Error) => err.name === 'WorkflowNotFoundError',
        ),
    );
    h.sample.outage('cdn-codec-archive', false);
    const replayed = await cli('dlq', 'replay', traceId, '--wait', '--reason', 'run expired');
    assert.equal(replayed.code, 0, replayed.stdout + replayed.stderr);
    assert.match(replayed.stdout, /outcome: completed/);
    assert.ok(!(await rawHistory(wf)).includes(SECRET), 'the run started from the archive is encrypted too');
  });

  it('kafka-pipeline codec-server lets the temporal CLI show a history that is unreadable without it', async () => {
    const traceId = `codec-cli-${randomUUID()}`;
    const { wf } = await failedRun(traceId, 'cdn-codec-cli');
    codecServer = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'kafka-pipeline.js'), 'codec-server', '--port', '0'],
      {
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: codecServer!.stdout! });
      lines.on('line', (line) => {
        const m = /"url":"(http:[^"]+)"/.exec(line);
        if (m) resolve(m[1]!);
      });
      codecServer!.once('exit', (code) => reject(new Error(`codec-server exited with ${code}`)));
    });
    /** The history as `temporal workflow show -o json` prints it, each payload's data (base64) as text. */
    const show = async (...extra: string[]): Promise<string> => {
      const r = await run(
        TEMPORAL,
        ['workflow', 'show', '--address', TEMPORAL_ADDRESS, '-w', wf, '-o', 'json', ...extra],
        {
          maxBuffer: 32 * 1024 * 1024,
        },
      );
      const texts: string[] = [];
      JSON.parse(r.stdout, (k, v: unknown) => {
        if (k === 'data' && typeof v === 'string') texts.push(Buffer.from(v, 'base64').toString('latin1'));
        return v;
      });
      return texts.join('\n');
    };
    const without = await show();
    assert.ok(!without.includes('estimate.pdf') && !without.includes('HTTP 503'));
    const decoded = await show('--codec-endpoint', url);
    assert.match(decoded, /estimate\.pdf/, 'the input, decoded by the codec server');
    assert.match(decoded, /"message":"HTTP 503 from /, 'the failure text, decoded by the codec server');
  });
});
