import assert from 'node:assert/strict';
import os from 'node:os';
import { operatorName, OperatorUnknownError } from '../../../src/dlq/audit';
import { DlqUsageError } from '../../../src/dlq/query';

describe('who acts on the DLQ (audit operator)', () => {
  const saved = { USER: process.env.USER, USERNAME: process.env.USERNAME };
  const userInfo = os.userInfo;
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    (os as { userInfo: typeof os.userInfo }).userInfo = userInfo;
  });

  it('takes --operator / DLQ_OPERATOR first, then $USER, then the account name', () => {
    process.env.USER = 'alice';
    assert.equal(operatorName('oncall-bob'), 'oncall-bob');
    assert.equal(operatorName(), 'alice');
    delete process.env.USER;
    delete process.env.USERNAME;
    (os as { userInfo: unknown }).userInfo = () => ({ username: 'svc-pipeline' });
    assert.equal(operatorName(), 'svc-pipeline');
  });

  it('refuses, as a usage error, when nobody can be named (never a silent "unknown")', () => {
    delete process.env.USER;
    delete process.env.USERNAME;
    (os as { userInfo: unknown }).userInfo = () => {
      throw new Error('no passwd entry for uid 10001');
    };
    assert.throws(
      () => operatorName(),
      (e: unknown) =>
        e instanceof OperatorUnknownError && e instanceof DlqUsageError && /--operator|DLQ_OPERATOR/.test(e.message),
    );
  });
});
