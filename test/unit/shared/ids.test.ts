import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SRC, sourceFiles } from '../../support/source-files';
import * as workflows from '../../../src/workflows';
import {
  MAX_WORKFLOW_ID_BYTES,
  claimxWorkflowId,
  invalidMessageWorkflowId,
  WORKFLOW_TYPES,
  xactWorkflowId,
} from '../../../src/shared/ids';
import { dlqWorkflowTypes, traceIdOf, workflowIdCandidates } from '../../../src/domains/registry';

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

  it('keeps the id spaces of events and invalid messages disjoint, whatever the trace id', () => {
    const source = { topic: 'xact.events.raw', partition: 2, offset: '17', timestamp: '' };
    const invalidId = invalidMessageWorkflowId(source);
    const impostor = xactWorkflowId('invalid-xact.events.raw-2-17');
    assert.notEqual(impostor, invalidId);
    assert.ok(!impostor.startsWith('xact-invalid-'), impostor);
    // A trace id that looks like a hashed id is hashed itself, so it cannot name another trace id's run.
    const hashed = xactWorkflowId('😀'.repeat(120));
    assert.notEqual(xactWorkflowId(hashed.slice('xact-'.length)), hashed);
    // Ordinary trace ids keep the id they always had (runs in flight and dedupe across a deploy).
    for (const trace of ['0f8e7c1a-1c42-4d55-9a0e-2b1f5d3e7a11', 'abc\\', 'a b/c', 'a\'b"c'])
      assert.equal(xactWorkflowId(trace), `xact-${trace}`);
  });

  it('maps long and odd trace ids to short printable ids, deterministically and without collisions', () => {
    const odd = [
      '😀'.repeat(120),
      '😀'.repeat(121),
      't'.repeat(1200),
      `${'t'.repeat(1199)}u`,
      'a\u0001b',
      'a\u0000b',
      'line\nbreak',
      'x\ud800y',
      'x\udc00y',
      'é',
      '~',
    ];
    const ids = odd.map(xactWorkflowId);
    assert.equal(new Set(ids).size, odd.length, 'distinct trace ids keep distinct ids');
    for (const [i, id] of ids.entries()) {
      assert.match(id, /^xact-[\x21-\x7e]+$/, `printable ASCII: ${JSON.stringify(odd[i])}`);
      assert.ok(Buffer.byteLength(id) <= MAX_WORKFLOW_ID_BYTES, `${id.length} bytes`);
      assert.equal(xactWorkflowId(odd[i]!), id, 'the same id on every delivery');
      assert.equal(traceIdOf(id), null, 'a hashed id names no trace id: its TraceId search attribute does');
    }
    assert.match(xactWorkflowId('t'.repeat(1200)), /^xact-~t{40}~[0-9a-f-]{36}$/);
    assert.equal(xactWorkflowId('t'.repeat(250)), `xact-${'t'.repeat(250)}`, 'up to the id limit as it is');
    assert.notEqual(xactWorkflowId('t'.repeat(251)), `xact-${'t'.repeat(251)}`);
    assert.deepEqual(workflowIdCandidates('x\ud800y').slice(0, 1), [xactWorkflowId('x\ud800y')]);
    assert.ok(workflowIdCandidates('x\ud800y').every((id) => !/[\ud800-\udfff]/.test(id)));
  });

  it('names exactly the workflow functions the worker registers', () => {
    const exported = Object.keys(workflows).filter(
      (k) => typeof (workflows as Record<string, unknown>)[k] === 'function',
    );
    for (const type of Object.values(WORKFLOW_TYPES))
      assert.ok(exported.includes(type), `${type} is not exported by src/workflows`);
    assert.deepEqual(Object.values(WORKFLOW_TYPES).sort(), exported.sort(), 'and names every one of them');
    assert.deepEqual(
      dlqWorkflowTypes().sort(),
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
