import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const CLI = path.resolve(__dirname, '..', '..', '..', 'bin', 'kafka-pipeline.js');
const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('kafka-pipeline CLI', function () {
  this.timeout(60_000);

  it('config check prints the effective configuration as JSON', async () => {
    const { code, stdout } = await cli(['config', 'check'], { XACT_CONSUMER_GROUP: 'other-group' });
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout).consumerGroup, 'other-group');
  });

  it('config check shows URL-typed keys without the credentials they can carry', async () => {
    const { code, stdout } = await cli(['config', 'check'], {
      CLAIMX_API_URL: 'https://svc-user:Pa55word@claimx.example/service?x=1&sig=SAS0SECRET',
      ONELAKE_BLOB_URL: 'https://acct.blob.core.windows.net/?sv=2024&sig=SAS1SECRET#tok=FRAGSECRET',
      TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    });
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, /svc-user|Pa55word|SAS0SECRET|SAS1SECRET|FRAGSECRET/);
    const shown = JSON.parse(stdout) as Record<string, string>;
    assert.equal(shown.claimxApiUrl, 'https://***:***@claimx.example/service?x=***&sig=***', 'where it points stays');
    assert.equal(shown.onelakeBlobUrl, 'https://acct.blob.core.windows.net/?sv=***&sig=***#***');
    assert.equal(shown.temporalUiUrl, 'http://127.0.0.1:8233', 'a URL without credentials prints as it is');
  });

  it('config check names a wrong broker address in one clear line and exits 2', async () => {
    const { code, stderr } = await cli(['config', 'check'], { KAFKA_BROKERS: 'kafka.internal' });
    assert.equal(code, 2);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^config: KAFKA_BROKERS="kafka\.internal": expected host:port$/);
  });

  for (const [cmd, component] of [
    ['bridge', 'bridge'],
    ['worker', 'worker'],
    ['run', 'combined'],
    ['dlq-monitor', 'dlq-monitor'],
  ] as const) {
    it(`${cmd} reports an invalid configuration as a log record in the chosen format, and exits 2`, async () => {
      const json = await cli([cmd], { KAFKA_BROKERS: 'kafka.internal', LOG_FORMAT: 'json' });
      assert.equal(json.code, 2);
      const lines = json.stdout.trim().split('\n');
      assert.equal(lines.length, 1, json.stdout);
      const record = JSON.parse(lines[0]!) as { level: string; component: string; problems: string[] };
      assert.deepEqual([record.level, record.component], ['error', component]);
      assert.match(record.problems[0]!, /KAFKA_BROKERS="kafka\.internal": expected host:port/);
      assert.equal(json.stderr, '');
      const text = await cli([cmd], { KAFKA_BROKERS: 'kafka.internal', LOG_FORMAT: 'console' });
      assert.match(
        text.stdout,
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR ${component} invalid configuration; not started problems=`),
      );
    });
  }

  it('command-line mistakes are usage errors (exit 2); help is not an error', async () => {
    const unknown = await cli(['no-such-command']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command/);
    const missing = await cli(['dlq', 'resolve', 'some-trace']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--reason/);
    assert.equal((await cli(['dlq', '--help'])).code, 0);
  });
});
