import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SRC, sourceFiles } from '../../support/source-files';
import { CONFIG_KEYS, ConfigError, configHelp, loadConfig, maskedConfig } from '../../../src/config/config';
import { LocalObjectStore } from '../../../src/adapters/storage/local-store';
import { createObjectStore } from '../../../src/wiring/object-store';
import { OneLakeStore } from '../../../src/adapters/storage/onelake-store';

describe('loadConfig', () => {
  it('gives the local stack defaults when the environment is empty', () => {
    const config = loadConfig({});
    assert.deepEqual(config.kafkaBrokers, ['127.0.0.1:9092']);
    assert.equal(config.temporalAddress, '127.0.0.1:7233');
    assert.equal(config.eventsTopic, 'xact.events.raw');
    assert.equal(config.consumerGroup, 'xact-event-ingester');
    assert.equal(config.metricsPort, 8000);
  });

  it('splits and trims a comma-separated broker list', () => {
    assert.deepEqual(loadConfig({ KAFKA_BROKERS: ' a:9092, b:9093 ,' }).kafkaBrokers, ['a:9092', 'b:9093']);
  });

  it('reports every bad key on its own line, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ KAFKA_BROKERS: 'broker-without-port', METRICS_PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 3);
    assert.match(error.problems[0]!, /^KAFKA_BROKERS="broker-without-port": .*host:port/);
    assert.match(error.problems[1]!, /^METRICS_PORT="eighty": /);
    assert.match(error.problems[2]!, /^LOG_LEVEL="loud": /);
  });

  it('OneLake storage: names each missing setting in one line; the account key is masked', () => {
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems as string[];
      }
    };
    assert.deepEqual(problems({ STORAGE_BACKEND: 'onelake' }), [
      'ONELAKE_WORKSPACE: must be set when STORAGE_BACKEND=onelake',
    ]);
    assert.deepEqual(problems({ STORAGE_BACKEND: 'onelake', ONELAKE_WORKSPACE: 'w', ONELAKE_AUTH: 'shared-key' }), [
      'ONELAKE_ACCOUNT_NAME: must be set when ONELAKE_AUTH=shared-key',
      'ONELAKE_ACCOUNT_KEY: must be set when ONELAKE_AUTH=shared-key',
    ]);
    assert.match(problems({ STORAGE_BACKEND: 's3' })[0]!, /^STORAGE_BACKEND="s3": /);
    const config = loadConfig({
      STORAGE_BACKEND: 'onelake',
      ONELAKE_WORKSPACE: 'w',
      ONELAKE_LAKEHOUSE: 'Claims.Lakehouse',
      ONELAKE_AUTH: 'shared-key',
      ONELAKE_ACCOUNT_NAME: 'acct',
      ONELAKE_ACCOUNT_KEY: 'c2VjcmV0LWtleQ==',
    });
    assert.equal(maskedConfig(config).onelakeAccountKey, '***');
    assert.doesNotMatch(JSON.stringify(maskedConfig(config)), /c2VjcmV0LWtleQ/);
    assert.equal(maskedConfig(loadConfig({})).onelakeAccountKey, '', 'an unset secret prints as unset');
    const store = createObjectStore(config);
    assert.ok(store instanceof OneLakeStore);
    assert.equal(store.location, 'https://onelake.dfs.fabric.microsoft.com/w/Claims.Lakehouse');
    assert.ok(createObjectStore(loadConfig({})) instanceof LocalObjectStore);
  });

  it('does not read process.env at import time', () => {
    const before = process.env.TEMPORAL_NAMESPACE;
    process.env.TEMPORAL_NAMESPACE = 'changed-after-import';
    try {
      assert.equal(loadConfig().temporalNamespace, 'changed-after-import');
    } finally {
      if (before === undefined) delete process.env.TEMPORAL_NAMESPACE;
      else process.env.TEMPORAL_NAMESPACE = before;
    }
  });

  it('has one help line per key, each with its default', () => {
    const lines = configHelp();
    assert.equal(lines.length, Object.keys(CONFIG_KEYS).length);
    for (const spec of Object.values(CONFIG_KEYS)) {
      assert.ok(
        lines.some((l) => l.startsWith(`${spec.env} (default ${JSON.stringify(spec.default)})`)),
        spec.env,
      );
    }
  });
});

describe('where the configuration is read', () => {
  it('only the entry points call loadConfig: the long-running processes (processMain), and the CLI once (cli-config.ts)', () => {
    const callers = sourceFiles(SRC)
      .filter((f) => /\bloadConfig\(/.test(fs.readFileSync(f, 'utf8')) && !f.endsWith(path.join('config', 'config.ts')))
      .map((f) => path.relative(SRC, f))
      .sort();
    assert.deepEqual(callers, [
      path.join('cli', 'common', 'cli-config.ts'),
      path.join('observability', 'process-main.ts'),
    ]);
  });
});
