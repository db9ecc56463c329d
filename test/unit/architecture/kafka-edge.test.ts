import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SRC, sourceFiles } from '../../support/source-files';

/** The one folder that may use kafkajs: the Kafka adapter (source, admin, producer, and kafkajs workarounds). */
const ADAPTER = path.join(SRC, 'adapters', 'kafka');

/** Files outside src/ that are shipped or run by the stack and may use kafkajs directly, each with why. */
const ALLOWED_OUTSIDE_SRC: Record<string, string> = {
  'scripts/create-topics.ts':
    'stack.sh runs it before anything of the pipeline exists, against the local broker only (topics, not the edge)',
};

/** Lines of a file that name kafkajs as a module: imports (type-only too), re-exports, require and import(). */
function kafkajsImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(kafkajs(?:\/[^']*)?)'/gms),
    ...text.matchAll(/(?:require|import)\(\s*'(kafkajs(?:\/[^']*)?)'\s*\)/g),
  ].map((m) => m[1]!);
}

describe('the Kafka edge is a port (src/adapters/kafka)', () => {
  it('no file of src/ outside the Kafka adapter imports kafkajs (type-only imports and private paths too)', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 50, 'src/ is where this test looks');
    const outside = files
      .filter((f) => !f.startsWith(ADAPTER + path.sep))
      .flatMap((f) => kafkajsImports(f).map((spec) => `${path.relative(ROOT, f)} imports ${spec}`));
    assert.deepEqual(outside, []);
  });

  it('the adapter does use kafkajs, its private table included (so the check above looks at the right thing)', () => {
    const specs = sourceFiles(ADAPTER).flatMap(kafkajsImports);
    assert.ok(specs.includes('kafkajs'));
    assert.ok(specs.includes('kafkajs/src/protocol/error'), 'the private import lives in the adapter');
  });

  it('scripts use kafkajs only where listed, with a reason', () => {
    const users = sourceFiles(path.join(ROOT, 'scripts'))
      .filter((f) => kafkajsImports(f).length > 0)
      .map((f) => path.relative(ROOT, f));
    assert.deepEqual(users.sort(), Object.keys(ALLOWED_OUTSIDE_SRC).sort());
  });

  it('the adapter imports nothing of the bridge, workflows or activities (the port points one way)', () => {
    const inward = sourceFiles(ADAPTER).flatMap((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return [...text.matchAll(/from\s+'(\.[^']+)'/g)]
        .map((m) => path.relative(SRC, path.resolve(path.dirname(f), m[1]!)))
        .filter((target) => /^(bridge|workflows|activities|cli|worker|combined)\//.test(target))
        .map((target) => `${path.relative(ROOT, f)} imports src/${target}`);
    });
    assert.deepEqual(inward, []);
  });
});
