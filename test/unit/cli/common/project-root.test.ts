import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRootFrom } from '../../../../src/cli/common/project-root';
import { PROJECT_ROOT } from '../../../../src/cli/common/stack';
import { ROOT } from '../../../support/stack';

describe('the CLI finds the project root from the sources and from dist/ (src/cli/common/project-root.ts)', () => {
  let dir: string;
  before(() => {
    // The image's layout: /app/bin/kafka-pipeline.js and /app/dist/src/cli, no src/ beside it.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-root-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'kafka-pipeline.js'), '');
    fs.mkdirSync(path.join(dir, 'dist', 'src', 'cli'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'src', 'cli'), { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the folder holding bin/kafka-pipeline.js for the compiled and the tsx layout alike', () => {
    assert.equal(projectRootFrom(path.join(dir, 'dist', 'src', 'cli')), dir);
    assert.equal(projectRootFrom(path.join(dir, 'src', 'cli')), dir);
    // This checkout: the compiled module (dist/src/cli/common/stack.js) and the source resolve to the same root.
    assert.equal(projectRootFrom(path.join(ROOT, 'dist', 'src', 'cli')), ROOT);
    assert.equal(PROJECT_ROOT, ROOT);
  });

  it('falls back to two levels up where no launcher is found', () => {
    assert.equal(
      projectRootFrom('/nowhere/a/b', () => false),
      '/nowhere',
    );
  });
});
