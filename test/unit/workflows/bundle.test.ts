import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { ENCRYPTED_FAILURE_CONVERTER_PATH } from '../../../src/codec/data-converter';
import { WorkerMetrics } from '../../../src/observability/worker-metrics';
import { outcomeSinks, WORKFLOWS_PATH } from '../../../src/worker/create-worker';
import { asciiOnly, bundleLean } from '../../../src/worker/lean-bundle';

describe('workflow bundle', function () {
  this.timeout(120_000);

  it('bundles the pipeline workflows for the Temporal sandbox', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silent });
    assert.match(code, /healthCheck/);
  });

  it('bundles them with the failure converter of payload encryption (the encrypted-worker bundle)', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      failureConverterPath: ENCRYPTED_FAILURE_CONVERTER_PATH,
      logger: silent,
    });
    assert.match(code, /encodeCommonAttributes: true/);
  });

  it('the prebuilt bundle is ASCII, its inline source map maps to the sources without their text, and it replays', async () => {
    const code = await bundleLean({ workflowsPath: WORKFLOWS_PATH, logger: silent });
    assert.doesNotMatch(code, /[\u0080-\uffff]/, 'ASCII only');
    const comment = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';
    const at = code.lastIndexOf(comment);
    assert.ok(at > 0, 'an inline source map (the SDK requires one)');
    const map = JSON.parse(Buffer.from(code.slice(at + comment.length).trim(), 'base64').toString()) as {
      sources: string[];
      sourcesContent?: unknown;
      mappings: string;
    };
    assert.equal(map.sourcesContent, undefined);
    assert.ok(map.mappings.length > 10_000, `mappings: ${map.mappings.length} characters`);
    assert.ok(
      map.sources.some((s) => s.endsWith(path.join('src', 'workflows', 'ingest-xact-event.ts'))),
      map.sources.join('\n'),
    );
    const fixture = path.resolve(
      __dirname,
      '..',
      '..',
      'fixtures',
      'histories',
      'one-step-completed-two-attachments.pb',
    );
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(fixture));
    const sinks = outcomeSinks(new WorkerMetrics(new Registry()));
    await Worker.runReplayHistory({ workflowBundle: { code }, replayName: 'lean', sinks }, history);
  });

  it('escapes non-ASCII characters to what they mean in code, and refuses line separators', () => {
    const source = "const s = '\u2014\u00f8\u2026'; // \u00a7 \u00e9\nreturn [s, /\u2014/.test(s), `\u2014`];";
    const escaped = asciiOnly(source);
    assert.doesNotMatch(escaped, /[\u0080-\uffff]/);
    assert.deepEqual(new Function(escaped)(), ['\u2014\u00f8\u2026', true, '\u2014']);
    assert.throws(() => asciiOnly('// a\u2028b'), /line or paragraph separator at 4/);
  });

  it('refuses workflow code that imports a Node built-in', async () => {
    const workflowsPath = path.resolve(__dirname, '..', '..', 'fixtures', 'bad-workflow');
    await assert.rejects(
      bundleWorkflowCode({ workflowsPath, logger: silent }),
      /importing the following disallowed modules:\s+- 'fs'/,
    );
  });
});

const noop = (): void => undefined;
const silent = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
