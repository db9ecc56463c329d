import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkaConfig } from '../../../src/adapters/kafka/client-config';
import { temporalConnectionOptions } from '../../../src/wiring/temporal';
import type { ConfigError } from '../../../src/config/config';
import { loadConfig, maskedConfig } from '../../../src/config/config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return [...(err as ConfigError).problems];
  }
}

describe('connection settings (Kafka SASL / Event Hubs, Temporal TLS / Cloud)', () => {
  it('local defaults: plaintext Kafka, no TLS to Temporal', () => {
    const config = loadConfig({});
    assert.deepEqual(kafkaConfig(config), {
      clientId: 'kafka-pipeline',
      brokers: ['127.0.0.1:9092'],
      ssl: false,
    });
    assert.deepEqual(temporalConnectionOptions(config), { address: '127.0.0.1:7233' });
  });

  it('Event Hubs with a connection string: SASL PLAIN over TLS, password masked by config check', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'claims.servicebus.windows.net:9093',
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_PASSWORD: 'Endpoint=sb://claims.servicebus.windows.net/;SharedAccessKey=abc',
    });
    const k = kafkaConfig(config);
    assert.equal(k.ssl, true);
    assert.deepEqual(k.sasl, {
      mechanism: 'plain',
      username: '$ConnectionString',
      password: 'Endpoint=sb://claims.servicebus.windows.net/;SharedAccessKey=abc',
    });
    assert.equal(maskedConfig(config).kafkaSaslPassword, '***');
  });

  it('Entra ID: OAUTHBEARER with a token provider', () => {
    const k = kafkaConfig(
      loadConfig({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
        KAFKA_OAUTH_SCOPE: 'https://claims.servicebus.windows.net/.default',
      }),
    );
    assert.equal(k.sasl?.mechanism, 'oauthbearer');
    assert.equal(typeof (k.sasl as { oauthBearerProvider?: unknown }).oauthBearerProvider, 'function');
  });

  it('names each inconsistent combination in one line', () => {
    assert.deepEqual(problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }), [
      'KAFKA_SASL_MECHANISM: must be PLAIN or OAUTHBEARER when KAFKA_SECURITY_PROTOCOL=SASL_SSL',
    ]);
    assert.deepEqual(problems({ KAFKA_SASL_MECHANISM: 'PLAIN' }), [
      'KAFKA_SASL_MECHANISM=PLAIN: needs KAFKA_SECURITY_PROTOCOL=SASL_SSL',
    ]);
    assert.deepEqual(problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN' }), [
      'KAFKA_SASL_PASSWORD: must be set for SASL PLAIN',
    ]);
    assert.match(
      problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'OAUTHBEARER' })[0]!,
      /^KAFKA_OAUTH_SCOPE: must be set for OAUTHBEARER/,
    );
    assert.deepEqual(problems({ TEMPORAL_TLS_CERT: '/etc/tls/tls.crt' }), [
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both for mTLS, or neither',
    ]);
    assert.match(
      problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT' })[0]!,
      /^KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT": /,
    );
  });

  it('Temporal Cloud: an API key implies TLS', () => {
    const options = temporalConnectionOptions(
      loadConfig({ TEMPORAL_ADDRESS: 'claims.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: 'secret-key' }),
    );
    assert.deepEqual(options, { address: 'claims.a1b2c.tmprl.cloud:7233', tls: true, apiKey: 'secret-key' });
  });

  describe('a private CA (a self-hosted cluster)', () => {
    let dir: string;
    const pem = (name: string) => path.join(dir, name);
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-tls-'));
      for (const f of ['ca.pem', 'client.pem', 'client.key']) fs.writeFileSync(pem(f), `-----${f}-----\n`);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('Temporal: mTLS checked against TEMPORAL_TLS_CA, with a server name override', () => {
      const options = temporalConnectionOptions(
        loadConfig({
          TEMPORAL_ADDRESS: '127.0.0.1:7333',
          TEMPORAL_TLS_CERT: pem('client.pem'),
          TEMPORAL_TLS_KEY: pem('client.key'),
          TEMPORAL_TLS_CA: pem('ca.pem'),
          TEMPORAL_TLS_SERVER_NAME: 'temporal.local',
        }),
      );
      assert.deepEqual(options, {
        address: '127.0.0.1:7333',
        tls: {
          clientCertPair: { crt: Buffer.from('-----client.pem-----\n'), key: Buffer.from('-----client.key-----\n') },
          serverRootCACertificate: Buffer.from('-----ca.pem-----\n'),
          serverNameOverride: 'temporal.local',
        },
      });
      const caOnly = temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CA: pem('ca.pem') }));
      assert.deepEqual(caOnly.tls, { serverRootCACertificate: Buffer.from('-----ca.pem-----\n') }, 'a CA implies TLS');
    });

    it('Kafka: SASL_SSL checked against KAFKA_SSL_CA', () => {
      const k = kafkaConfig(
        loadConfig({
          KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
          KAFKA_SASL_MECHANISM: 'PLAIN',
          KAFKA_SASL_USERNAME: 'pipeline',
          KAFKA_SASL_PASSWORD: 'pw',
          KAFKA_SSL_CA: pem('ca.pem'),
        }),
      );
      assert.deepEqual(k.ssl, { ca: [Buffer.from('-----ca.pem-----\n')] });
      assert.deepEqual(problems({ KAFKA_SSL_CA: pem('ca.pem') }), [
        'KAFKA_SSL_CA: needs KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL',
      ]);
    });

    it('a file that cannot be read is an error naming its key', () => {
      const missing = pem('absent.pem');
      assert.throws(
        () => temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CA: missing })),
        new RegExp(`^Error: TEMPORAL_TLS_CA: cannot read ${missing}: ENOENT`),
      );
      assert.throws(
        () => kafkaConfig(loadConfig({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA: missing })),
        /^Error: KAFKA_SSL_CA: cannot read .*ENOENT/,
      );
    });
  });
});
