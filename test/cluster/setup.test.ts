import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client, Connection } from '@temporalio/client';
import { clusterTemporal, ensureCluster } from '../support/cluster';
import { ROOT } from '../support/stack';

const run = promisify(execFile);
const TOOLS = process.env.KP_TOOLS_DIR ?? path.join(ROOT, '.tools');
/** A version tools/versions.env pins. */
const pinned = (name: string): string =>
  new RegExp(`^${name}=(.+)$`, 'm').exec(fs.readFileSync(path.join(ROOT, 'tools', 'versions.env'), 'utf8'))![1]!;

/** The namespace set-up scripts operators run (local scripts, docker-compose's) against the cluster's real server. */
describe('namespace set-up on the production-shaped cluster (npm run test:cluster)', function () {
  this.timeout(300_000);
  const id = randomUUID().slice(0, 8);
  let cluster: Record<string, string>;
  let temporal: { connection: Connection; client: Client };

  before(async () => {
    cluster = await ensureCluster();
    temporal = await clusterTemporal(cluster);
  });
  after(async () => {
    await temporal?.connection.close();
  });

  it("docker-compose's Temporal setup (deploy/compose/temporal-setup.sh) runs against a real server: schema, namespace", async () => {
    // The admin-tools image's two commands, from the cluster profile's own builds.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-setup-bin-'));
    fs.symlinkSync(path.join(TOOLS, 'venv', 'bin', 'temporal'), path.join(bin, 'temporal'));
    const server = path.join(TOOLS, `temporal-server-${pinned('TEMPORAL_SERVER_VERSION')}`);
    fs.symlinkSync(path.join(server, 'sql'), path.join(bin, 'temporal-sql-tool'));
    const ns = `kp-compose-${id}`;
    const setupEnv = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: /^PG_PORT=(\d+)$/m.exec(fs.readFileSync(path.join(ROOT, 'scripts', 'cluster.sh'), 'utf8'))![1]!,
      POSTGRES_USER: 'postgres',
      POSTGRES_PWD: 'unused-with-trust',
      TEMPORAL_ADDRESS: cluster.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: ns,
      TEMPORAL_TLS_CA: cluster.TEMPORAL_TLS_CA, // the temporal CLI's variables for --tls-ca-path and the client pair
      TEMPORAL_TLS_CLIENT_CERT_PATH: cluster.TEMPORAL_TLS_CERT,
      TEMPORAL_TLS_CLIENT_KEY_PATH: cluster.TEMPORAL_TLS_KEY,
      SEARCH_ATTRIBUTES: 'TraceId=Keyword Domain=Keyword',
      SCHEMA_DIR: path.join(server, 'schema', 'postgresql', 'v12'),
    };
    const script = path.join(ROOT, 'deploy', 'compose', 'temporal-setup.sh');
    try {
      // On the live schema: nothing to create, nothing to update.
      assert.match((await run('sh', [script, 'schema'], { env: setupEnv })).stdout, /schemas ready/);
      for (let i = 0; i < 2; i++) {
        const r = await run('sh', [script, 'namespace'], { env: setupEnv });
        assert.match(r.stdout, new RegExp(`namespace ${ns} ready`));
      }
      const attrs = await temporal.connection.operatorService.listSearchAttributes({ namespace: ns });
      assert.ok('TraceId' in (attrs.customAttributes ?? {}) && 'Domain' in (attrs.customAttributes ?? {}));
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('scripts/setup-namespace.sh creates a namespace on the real frontend with its retention and search attributes', async () => {
    const ns = `kp-setup-${id}`;
    const cliEnv = { ...process.env, ...cluster, TEMPORAL_NAMESPACE: ns };
    const setup = await run('bash', [path.join(ROOT, 'scripts', 'setup-namespace.sh'), '10d'], { env: cliEnv });
    assert.match(setup.stdout, new RegExp(`created ${ns} with retention 240h`));
    const again = await run('bash', [path.join(ROOT, 'scripts', 'setup-namespace.sh'), '10d'], { env: cliEnv });
    assert.match(again.stdout, new RegExp(`${ns} exists; retention set to 240h`));
    const described = await temporal.connection.workflowService.describeNamespace({ namespace: ns });
    assert.equal(Number(described.config?.workflowExecutionRetentionTtl?.seconds), 240 * 3600);
    const attrs = await temporal.connection.operatorService.listSearchAttributes({ namespace: ns });
    for (const name of ['TraceId', 'Domain', 'ErrorCategory', 'FailedStage', 'EventType'])
      assert.ok(name in (attrs.customAttributes ?? {}), `${name} registered`);
  });
});
