import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Issue 32 (worker memory): parquet-wasm is instantiated where it is used, on the Parquet thread. Loaded in the
 * writer's thread (the worker's main thread) it held ~13 MB resident for nothing.
 */
describe("the writer's thread", () => {
  it('writes and reads checkpoints without loading parquet-wasm itself', function () {
    this.timeout(60_000);
    const script = path.join(__dirname, '..', 'support', 'main-thread-modules.ts');
    const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), script], { encoding: 'utf8' });
    const { checkpoint, packages } = JSON.parse(out) as { checkpoint: boolean; packages: string[] };
    assert.ok(checkpoint, 'the table has a checkpoint at version 2');
    assert.ok(packages.includes('apache-arrow'), 'the check sees the packages the thread loaded');
    assert.ok(!packages.includes('parquet-wasm'), `parquet-wasm loaded in the writer's thread: ${packages.join(', ')}`);
  });
});
