import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/worker/create-worker';

const DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

describe('replaying recorded histories against the current workflow code', function () {
  this.timeout(120_000);
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.pb'));

  it('has recorded histories of a completed, a failed and an invalid-message run', () => {
    assert.deepEqual(files.sort(), [
      'completed-two-attachments.pb',
      'failed-one-of-two-attachments.pb',
      'invalid-message.pb',
    ]);
  });

  for (const file of files) {
    it(`replays ${file} without non-determinism`, async () => {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(DIR, file)));
      // Throws DeterminismViolationError when the code would make different decisions than the recorded run.
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: file }, history);
    });
  }
});
