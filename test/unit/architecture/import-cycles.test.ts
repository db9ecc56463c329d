import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { moduleSpecifiers, ROOT, SRC, sourceFiles } from '../../support/source-files';

const DELTA_PACKAGE = path.join(ROOT, 'packages', 'delta-lake', 'src');

/** Relative imports of a file that exist at run time (`import type` and `export type` are erased). */
function valueImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]);
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec!);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f)) ?? `${base}.ts`;
  });
}

/** Every cycle of the module graph, each as the list of files that import each other in a ring. */
function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, valueImports(f)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).map((x) => path.relative(SRC, x)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe('module graph of src/', () => {
  it('has no import cycle (type-only imports aside)', () => {
    assert.deepEqual(cycles(sourceFiles(SRC)), []);
  });

  it('the Delta package has no import cycle and imports nothing of the app', () => {
    const files = sourceFiles(DELTA_PACKAGE);
    assert.ok(files.length > 10, 'the package sources are where this test looks');
    assert.deepEqual(cycles(files), []);
    const outside = files.flatMap((f) =>
      moduleSpecifiers(f)
        .filter((spec) => spec.startsWith('.') && !path.resolve(path.dirname(f), spec).startsWith(DELTA_PACKAGE))
        .map((spec) => `${path.relative(ROOT, f)} imports ${spec}`),
    );
    assert.deepEqual(outside, []);
  });

  it('finds a cycle when there is one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycle-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './c';\nexport { c as b } from './c';\n");
      fs.writeFileSync(path.join(dir, 'c.ts'), "import { a } from './a';\nexport const c = a;\nexport type A = 1;\n");
      assert.equal(cycles(sourceFiles(dir)).length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
