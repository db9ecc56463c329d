import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { moduleSpecifiers, SRC, sourceFiles } from '../../support/source-files';

/**
 * Which top-level folder of src/ may import which (every folder may import itself), lowest layer first. Type-only
 * imports count: a type import still ties the folders together, and it is how a loop between folders starts.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  // Vocabulary and settings: data only.
  shared: [],
  config: ['shared'],
  // Services every process has.
  observability: ['shared', 'config'],
  resilience: ['shared', 'config', 'observability'],
  codec: ['shared', 'config'],
  // The outside world behind small ports; they take settings, never the configuration.
  adapters: ['shared', 'resilience'],
  // The domains and the pieces of the pipeline.
  domains: ['shared', 'config'],
  dlq: ['shared', 'observability', 'codec', 'adapters', 'domains'],
  maintenance: ['shared', 'config', 'codec', 'adapters', 'domains', 'dlq'],
  activities: ['shared', 'observability', 'resilience', 'adapters', 'domains', 'maintenance'],
  workflows: ['shared', 'activities'],
  // Clients built from the configuration, for the entry points (Temporal connection and client, object store).
  wiring: ['shared', 'config', 'codec', 'adapters'],
  // Entry points: they build the clients and hand them in.
  bridge: ['shared', 'config', 'observability', 'resilience', 'adapters', 'domains', 'dlq', 'wiring'],
  worker: [
    'shared',
    'config',
    'observability',
    'resilience',
    'codec',
    'adapters',
    'domains',
    'dlq',
    'maintenance',
    'activities',
    'workflows',
    'wiring',
  ],
  combined: ['shared', 'config', 'observability', 'resilience', 'wiring', 'bridge', 'worker'],
  cli: [
    'shared',
    'config',
    'observability',
    'codec',
    'adapters',
    'domains',
    'dlq',
    'maintenance',
    'wiring',
    'bridge',
    'worker',
    'combined',
  ],
};

/** Arrows the table allows for type-only imports alone (workflows must stay free of activity code). */
const TYPE_ONLY: Readonly<Record<string, readonly string[]>> = { workflows: ['activities'] };

/** Packages the configuration may use: it parses and validates, it builds no client. */
const CONFIG_PACKAGES = ['zod'];

/** The top-level folder of `file` under `root` ('' when it is not under `root`). */
function folderOf(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel.startsWith('..') ? '' : (rel.split(path.sep)[0] ?? '');
}

/** Whether every import of `spec` in `file` is type-only (`import type` / `export type`). */
function typeOnly(file: string, spec: string): boolean {
  const text = fs.readFileSync(file, 'utf8');
  const quoted = `'${spec}'`;
  const named = [...text.matchAll(/^(import|export)\s([^;]*?)from\s+'([^']+)'/gms)].filter((m) => m[3] === spec);
  const elsewhere = text.split(quoted).length - 1 > named.length;
  return !elsewhere && named.length > 0 && named.every((m) => /^type\b/.test(m[2] ?? ''));
}

/** Every import from one top-level folder of `root` into another that `table` does not allow, one line each. */
function forbiddenArrows(
  root: string,
  table: Readonly<Record<string, readonly string[]>>,
  typeOnlyTable: Readonly<Record<string, readonly string[]>> = {},
): string[] {
  return sourceFiles(root).flatMap((file) => {
    const from = folderOf(root, file);
    if (!(from in table)) return [`${path.relative(root, file)}: ${from}/ has no row in the table`];
    return moduleSpecifiers(file)
      .filter((spec) => spec.startsWith('.'))
      .flatMap((spec) => {
        const to = folderOf(root, path.resolve(path.dirname(file), spec));
        if (to === '' || to === from) return [];
        const allowed = table[from]!.includes(to) && (!typeOnlyTable[from]?.includes(to) || typeOnly(file, spec));
        return allowed ? [] : [`${path.relative(root, file)} imports ${spec} (${from} -> ${to})`];
      });
  });
}

describe('folder layers of src/', () => {
  it('every import between top-level folders is one the table allows (type-only imports too)', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 50, 'src/ is where this test looks');
    assert.deepEqual(forbiddenArrows(SRC, MAY_IMPORT, TYPE_ONLY), []);
  });

  it('config is data: it imports nothing of ours but shared, and no package but the parser', () => {
    assert.deepEqual(MAY_IMPORT.config, ['shared']);
    const imports = sourceFiles(path.join(SRC, 'config')).flatMap((file) =>
      moduleSpecifiers(file)
        .filter((spec) =>
          spec.startsWith('.')
            ? !['config', 'shared'].includes(folderOf(SRC, path.resolve(path.dirname(file), spec)))
            : !CONFIG_PACKAGES.includes(spec),
        )
        .map((spec) => `${path.relative(SRC, file)} imports ${spec}`),
    );
    assert.deepEqual(imports, []);
  });

  it('the table has no loop: each folder sits above every folder it may import', () => {
    const order = Object.keys(MAY_IMPORT);
    const upward = Object.entries(MAY_IMPORT).flatMap(([from, tos]) =>
      tos
        .filter((to) => !order.includes(to) || order.indexOf(to) >= order.indexOf(from))
        .map((to) => `${from} -> ${to}`),
    );
    assert.deepEqual(upward, []);
  });

  it('finds a forbidden arrow, a type-only one too, and a value import where only types may go', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    try {
      write('low/a.ts', "import type { B } from '../high/b';\nexport type A = B;\n");
      write('high/b.ts', "import { a } from '../low/c';\nexport type B = 1;\nexport const b = a;\n");
      write('low/c.ts', 'export const a = 1;\n');
      write('top/d.ts', "import type { B } from '../high/b';\nexport { b } from '../high/b';\nexport type D = B;\n");
      write('top/e.ts', "import type { B } from '../high/b';\nexport type E = B;\n");
      const table = { low: [], high: ['low'], top: ['high'] };
      assert.deepEqual(forbiddenArrows(dir, table, { top: ['high'] }).sort(), [
        'low/a.ts imports ../high/b (low -> high)',
        'top/d.ts imports ../high/b (top -> high)',
        'top/d.ts imports ../high/b (top -> high)',
      ]);
      write('other/f.ts', 'export const f = 1;\n');
      assert.ok(forbiddenArrows(dir, table).includes('other/f.ts: other/ has no row in the table'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
