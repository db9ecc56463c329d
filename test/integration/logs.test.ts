import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { sampleEvent } from '../../src/domains/xact/sample';
import { startFileServerStandin, type FileServerStandin } from '../../dev/file-server-standin';
import { freePort } from '../support/free-port';
import { until } from '../support/poll';
import {
  startPipelineProcess,
  stopPipelineProcess,
  type PipelineProcess,
  localPipelineEnv,
} from '../support/processes';
import { xactWorkflowId } from '../../src/shared/ids';
import { readWithDeltaRs } from '../support/delta-rs';
import { ensureStack, execFileAsync, KAFKA_BROKER, ROOT, TEMPORAL_ADDRESS, createTopic } from '../support/stack';

/** Secret-looking values placed in signed-URL parameters and in the event; none may appear in any log line. */
const SECRETS = ['Sig0SECRET0a1b2c', 'AKIASECRET0CREDENTIAL', 'TokSECRET0xyz', 'sv0SECRET0sas'];
const signed = (url: string) =>
  `${url}&sig=${SECRETS[0]}&X-Amz-Credential=${SECRETS[1]}&X-Amz-Signature=${SECRETS[0]}&token=${SECRETS[2]}&sv=${SECRETS[3]}`;

/**
 * The logs of an end-to-end run (real bridge and worker processes): JSON lines, each about a workflow carrying its
 * workflow id and trace id, and never a signed URL parameter, a secret or the event's personal data.
 */
describe('logs of an end-to-end run', function () {
  this.timeout(600_000);
  const id = randomUUID().slice(0, 8);
  const topic = `xact.events.logs-${id}`;
  const lines: string[] = [];
  let sample: FileServerStandin;
  let procs: PipelineProcess[] = [];
  let lakehouse = '';
  let events: Record<string, unknown>[] = [];

  before(async () => {
    await ensureStack();
    sample = await startFileServerStandin();
    const kafka = new Kafka({ clientId: 'logs-test', brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING });
    await createTopic(topic);
    lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-'));
    const env = localPipelineEnv(`logs-${id}`, lakehouse, {
      RETRY_INITIAL_INTERVAL_S: '1',
      RETRY_MAX_INTERVAL_S: '1',
      RETRY_MAX_ATTEMPTS: '2',
      LOG_LEVEL: 'debug',
      DLQ_METRICS_INTERVAL_S: '1',
    });
    procs = [
      await startPipelineProcess('worker', { ...env, METRICS_PORT: String(await freePort()) }),
      await startPipelineProcess('bridge', { ...env, METRICS_PORT: String(await freePort()) }),
      // It archives the failed runs, logging their ids.
      await startPipelineProcess('dlq-monitor', { ...env, METRICS_PORT: String(await freePort()) }),
    ];
    // One event that succeeds, one whose attachment answers 404, one that fails transiently (503) then exhausts
    // its retries, one delivered twice, and one message that is not an event; all URLs signed.
    events = ['files', 'status/404', 'status/503', 'files'].map((route, i) => {
      const e = sampleEvent(i, { sampleUrl: sample.url, attachments: 1 });
      const data = e.data as { attachments: string[] };
      data.attachments = data.attachments.map((u) => signed(u.replace('/files/', `/${route}/`)));
      return e;
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        ...events.map((e) => ({ key: String(e.traceId), value: JSON.stringify(e) })),
        { key: String(events[3]!.traceId), value: JSON.stringify(events[3]) },
        { key: 'broken', value: `{"traceId": "x", "token": "${SECRETS[2]}"` },
      ],
    });
    await producer.disconnect();
    const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    const client = new Client({ connection });
    const ids = events.map((e) => `xact-${String(e.traceId)}`);
    await until('all runs closed', async () => {
      const closed = await Promise.all(
        ids.map((wid) =>
          client.workflow
            .getHandle(wid)
            .describe()
            .then(
              (d) => d.status.name !== 'RUNNING',
              () => false,
            ),
        ),
      );
      return closed.every(Boolean);
    });
    await connection.close();
    for (const p of procs) await stopPipelineProcess(p);
    lines.push(...procs.flatMap((p) => p.output));
  });

  after(async () => {
    for (const p of procs) await stopPipelineProcess(p);
    await sample?.close();
  });

  it('are JSON lines with time, level, component and message', () => {
    assert.ok(lines.length >= 10, `only ${lines.length} lines`);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      for (const k of ['time', 'level', 'component', 'msg']) assert.ok(k in record, `${k} missing: ${line}`);
    }
  });

  it('carry workflow id and trace id on every line about an event', () => {
    const about = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => 'workflow_id' in r);
    const msgs = new Set(about.map((r) => r.msg));
    assert.ok(msgs.has('attachment transfer failed'), [...msgs].join(' | '));
    assert.ok(msgs.has('duplicate delivery: workflow already exists, nothing started'), [...msgs].join(' | '));
    // The DLQ monitor also logs other tests' entries of the shared namespace (hashed ids of long trace ids
    // among them, whose trace_id is the start their search attribute keeps): the pairing is checked on this test's.
    const ours = new Map(events.map((e) => [xactWorkflowId(String(e.traceId)), String(e.traceId)]));
    const seen = new Set<string>();
    for (const r of about) {
      assert.equal(typeof r.workflow_id, 'string');
      assert.ok('trace_id' in r, JSON.stringify(r));
      if (ours.has(String(r.workflow_id))) {
        assert.equal(r.trace_id, ours.get(String(r.workflow_id)), JSON.stringify(r));
        seen.add(String(r.workflow_id));
      }
    }
    // (the failed, the retried and the redelivered event have lines; the one that simply succeeded may have none)
    assert.ok(seen.size >= 3, `lines about ${seen.size} of this test's events`);
  });

  it('never contain a signed URL parameter, a secret or personal data from the event', () => {
    const text = lines.join('\n');
    for (const s of [...SECRETS, 'sample.adjuster@carrier.example', 'Sample Person', 'sample@example.com'])
      assert.ok(!text.includes(s), `the logs contain ${s}`);
    assert.doesNotMatch(text, /[?&](sig|token|X-Amz-Signature|X-Amz-Credential|sv)=/i);
    // The failing URLs were logged, with their query strings redacted (so the check above saw them).
    assert.match(text, /\/status\/404\/[^"?]+\?<redacted>/);
  });

  it('nor do the Delta tables or `dlq view`: signed URL parameters are redacted there too', async () => {
    const tables = await Promise.all(
      ['Tables/xact_events', 'Tables/xact_attachments'].map((t) => readWithDeltaRs(path.join(lakehouse, t))),
    );
    const [eventRows, inventory] = tables.map((t) => t.rows);
    assert.equal(eventRows!.length, 4, 'every event has its row');
    assert.equal(inventory!.length, 2, 'each attachment that succeeded has its row');
    assert.match(String(inventory![0]!.attachment_url), /sig=redacted/);
    const failed = String(events[1]!.traceId); // its attachment answered 404: a DLQ entry
    const cliEnv = { ...process.env, TEMPORAL_ADDRESS, XACT_EVENTS_TOPIC: `xact.events.logs-${id}` };
    const bin = path.join(ROOT, 'bin', 'kafka-pipeline.js');
    const views = await Promise.all(
      [[], ['--json']].map((extra) =>
        execFileAsync(process.execPath, [bin, 'dlq', 'view', failed, ...extra], { env: cliEnv }),
      ),
    );
    assert.match(views[1]!.stdout, /status\/404/, 'the view shows the failed URL');
    const text = [JSON.stringify(tables), ...views.map((v) => v.stdout)].join('\n');
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `a table or the view contains ${secret}`);
  });
});
