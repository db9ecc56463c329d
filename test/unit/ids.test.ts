import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SRC, sourceFiles } from '../support/source-files';
import * as workflows from '../../src/workflows';
import {
  DLQ_WORKFLOW_TYPES,
  claimxWorkflowId,
  invalidMessageWorkflowId,
  traceIdOf,
  WORKFLOW_TYPES,
  workflowIdCandidates,
  xactWorkflowId,
} from '../../src/shared/ids';

describe('workflow ids and type names (src/shared/ids.ts)', () => {
  it('maps a trace id to its workflow id and back; invalid-message and foreign ids have no trace id', () => {
    for (const trace of ['0f8e-11', 'xact-looks-like-a-prefix', 'a b/c'])
      assert.equal(traceIdOf(xactWorkflowId(trace)), trace);
    const invalidId = invalidMessageWorkflowId({ topic: 'xact.events.raw', partition: 2, offset: '17', timestamp: '' });
    assert.equal(invalidId, 'xact-invalid-xact.events.raw-2-17');
    assert.equal(traceIdOf(invalidId), null);
    assert.equal(
      traceIdOf(claimxWorkflowId('ee1a7158-6e7d-5268-a4b7-7767fa5877e1')),
      'ee1a7158-6e7d-5268-a4b7-7767fa5877e1',
    );
    assert.equal(traceIdOf('other-123'), null);
    assert.deepEqual(workflowIdCandidates('abc'), ['xact-abc', 'claimx-abc']);
    assert.deepEqual(workflowIdCandidates('xact-abc'), ['xact-xact-abc', 'claimx-xact-abc', 'xact-abc']);
    assert.deepEqual(workflowIdCandidates('claimx-e1'), ['xact-claimx-e1', 'claimx-claimx-e1', 'claimx-e1']);
  });

  it('names exactly the workflow functions the worker registers', () => {
    const exported = Object.keys(workflows).filter(
      (k) => typeof (workflows as Record<string, unknown>)[k] === 'function',
    );
    for (const type of Object.values(WORKFLOW_TYPES))
      assert.ok(exported.includes(type), `${type} is not exported by src/workflows`);
    assert.deepEqual(Object.values(WORKFLOW_TYPES).sort(), exported.sort(), 'and names every one of them');
    assert.deepEqual(
      [...DLQ_WORKFLOW_TYPES].sort(),
      [
        WORKFLOW_TYPES.ingestXactEvent,
        WORKFLOW_TYPES.ingestClaimxEvent,
        WORKFLOW_TYPES.quarantineInvalidMessage,
      ].sort(),
    );
  });

  it('is the only file of src/ that spells a workflow id prefix or a workflow type name', () => {
    const types = Object.values(WORKFLOW_TYPES).join('|');
    // A quoted type name, or a quoted string starting with an id prefix (consumer groups and the stand-in command are not ids).
    const spelled = new RegExp(`(['"\`])(${types})\\1|['"\`](xact|claimx)-(?!event-ingester|api-standin)`);
    const offenders = sourceFiles(SRC)
      .filter((f) => !f.endsWith(path.join('shared', 'ids.ts')))
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${path.relative(SRC, f)}:${i + 1}`, line }))
          .filter(({ line }) => spelled.test(line) && !/^\s*(\/\/|\*)/.test(line)),
      )
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    assert.deepEqual(offenders, []);
  });
});
