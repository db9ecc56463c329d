import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** scripts/lib/cluster-temporal.sh's shards_fixed, run as scripts/cluster.sh runs it (its STATE, die, HISTORY_SHARDS). */
function shardsFixed(state: string, shards: string): { status: number | null; stderr: string } {
  const script = [
    'set -euo pipefail',
    'die() { echo "cluster: $*" >&2; exit 1; }',
    `source "${path.join(ROOT, 'scripts', 'lib', 'cluster-temporal.sh')}"`,
    'shards_fixed',
  ].join('\n');
  const r = spawnSync('bash', ['-c', script], {
    env: { ...process.env, STATE: state, HISTORY_SHARDS: shards },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

/** A cluster's history shard count is fixed once chosen: `up` records it and refuses another (KP_CLUSTER_HISTORY_SHARDS). */
describe('cluster profile: the history shard count is fixed once chosen', () => {
  let state: string;
  beforeEach(() => {
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-shards-'));
    fs.mkdirSync(path.join(state, 'temporal'));
  });
  afterEach(() => fs.rmSync(state, { recursive: true, force: true }));
  const recorded = () => fs.readFileSync(path.join(state, 'temporal', 'shards'), 'utf8').trim();

  it('records the count of a new cluster, and accepts the same count again', () => {
    assert.equal(shardsFixed(state, '1').status, 0);
    assert.equal(recorded(), '1');
    assert.equal(shardsFixed(state, '1').status, 0);
  });

  it('refuses another count for an existing cluster, naming both and the way out', () => {
    assert.equal(shardsFixed(state, '8').status, 0);
    const r = shardsFixed(state, '1');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /has 8 history shards, not 1/);
    assert.match(r.stderr, /KP_STATE_DIR/);
    assert.equal(recorded(), '8');
  });

  it('refuses a count that is not a whole number >= 1', () => {
    for (const bad of ['0', 'eight', '-1', '']) {
      const r = shardsFixed(state, bad);
      assert.equal(r.status, 1, bad);
      assert.match(r.stderr, /KP_CLUSTER_HISTORY_SHARDS must be a whole number >= 1/);
    }
  });
});
