import assert from 'node:assert/strict';
import { buildProgram } from '../../../../src/cli/main';
import { pipelineProcesses } from '../../../../src/cli/start/start-pipeline';
import { loadConfig } from '../../../../src/config/config';
import { domainNames } from '../../../../src/domains/registry';
import { PROCESS_MALLOC_ENV, PROCESS_NODE_OPTIONS } from '../../../../src/worker/node-options';

describe('the processes npm start supervises (kafka-pipeline start)', () => {
  const config = loadConfig({});
  const specs = pipelineProcesses(config, { DOWNLOAD_ALLOW_LOOPBACK: 'true' });
  /** The port a process serves on: its METRICS_PORT, else the one `start` itself was given (the xact bridge). */
  const port = (env: Readonly<Record<string, string>> = {}, given = config) =>
    Number(env.METRICS_PORT ?? given.metricsPort);

  it('runs the worker, a bridge per domain and one DLQ monitor, each an existing CLI command', () => {
    assert.deepEqual(specs.map((s) => s.cmd).sort(), ['bridge', 'bridge', 'dlq-monitor', 'worker']);
    const commands = buildProgram().commands.map((c) => c.name());
    for (const s of specs) assert.ok(commands.includes(s.cmd), s.cmd);
    const bridgeDomains = specs.filter((s) => s.cmd === 'bridge').map((s) => s.env?.BRIDGE_DOMAIN ?? 'xact');
    assert.deepEqual(bridgeDomains.sort(), [...domainNames()].sort());
  });

  it('gives each process a metrics port of its own, the DLQ monitor METRICS_PORT+3', () => {
    const ports = specs.map((s) => port(s.env));
    assert.equal(new Set(ports).size, specs.length, ports.join(','));
    assert.equal(port(specs.find((s) => s.cmd === 'dlq-monitor')!.env), config.metricsPort + 3);
    const anyPort = loadConfig({ METRICS_PORT: '0' });
    assert.deepEqual(
      pipelineProcesses(anyPort).map((s) => port(s.env, anyPort)),
      [0, 0, 0, 0],
    );
  });

  it('runs them compiled, as the image does (its NODE_OPTIONS and malloc settings), the extra environment for the worker only', () => {
    for (const s of specs) {
      assert.equal(s.env?.KP_RUN_COMPILED, '1', s.cmd);
      assert.ok(s.env?.NODE_OPTIONS?.split(' ').includes(PROCESS_NODE_OPTIONS), `${s.cmd}: ${s.env?.NODE_OPTIONS}`);
      for (const [k, v] of Object.entries(PROCESS_MALLOC_ENV)) assert.equal(s.env?.[k], v, `${s.cmd} ${k}`);
    }
    const withExtra = specs.filter((s) => s.env?.DOWNLOAD_ALLOW_LOOPBACK === 'true').map((s) => s.cmd);
    assert.deepEqual(withExtra, ['worker']);
  });
});
