import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import { loadConfig } from '../../src/config/config';
import { buildActivityDeps } from '../../src/worker/build-deps';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { WORKFLOWS_PATH } from '../../src/worker/create-worker';
import { healthCheck } from '../../src/workflows';
import { ensureStack, TEMPORAL_ADDRESS } from '../support/stack';

describe('real Temporal server (smoke)', function () {
  this.timeout(120_000);
  let connection: Connection;
  let client: Client;

  before(async () => {
    await ensureStack();
    connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    client = new Client({ connection, namespace: 'default' });
  });
  after(() => connection?.close());

  it('registers every custom search attribute the DLQ filters on, as Keyword', async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const key of Object.values(SEARCH_ATTRIBUTES)) {
      // 2 = INDEXED_VALUE_TYPE_KEYWORD
      assert.equal(customAttributes?.[key.name], 2, `${key.name} missing or not Keyword`);
    }
  });

  it('runs the health-check workflow on a worker, which executes its activity', async () => {
    const taskQueue = `smoke-${randomUUID()}`;
    const workerConnection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
    const lakehouse = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-'));
    try {
      const deps = await buildActivityDeps(loadConfig({ LAKEHOUSE_DIR: lakehouse, TEMPORAL_TASK_QUEUE: taskQueue }));
      const worker = await Worker.create({
        connection: workerConnection,
        taskQueue,
        workflowsPath: WORKFLOWS_PATH,
        activities: createActivities({ ...deps, workerId: 'smoke-worker' }),
      });
      const result = await worker.runUntil(
        client.workflow.execute(healthCheck, { taskQueue, workflowId: `smoke-health-${randomUUID()}` }),
      );
      assert.equal(result.workerId, 'smoke-worker');
      assert.equal(result.taskQueue, taskQueue);
      assert.equal(result.pid, process.pid);
    } finally {
      await workerConnection.close();
      fs.rmSync(lakehouse, { recursive: true, force: true });
    }
  });
});
