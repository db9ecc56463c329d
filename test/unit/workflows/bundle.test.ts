import assert from 'node:assert/strict';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ENCRYPTED_FAILURE_CONVERTER_PATH } from '../../../src/codec/data-converter';
import { WORKFLOWS_PATH } from '../../../src/worker/create-worker';

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
