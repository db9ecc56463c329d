import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..', '..');

// These files do not exist on disk, so the type-aware rules (which need the TypeScript project) are off here.
const WITHOUT_TYPES = {
  languageOptions: { parserOptions: { projectService: false } },
  rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
} as const;

async function restrictedImportErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: WITHOUT_TYPES });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint override for deterministic code', function () {
  this.timeout(60_000);

  for (const dir of ['src/workflows', 'src/shared']) {
    it(`bans Node built-ins in ${dir}`, async () => {
      const errors = await restrictedImportErrors(`${dir}/x.ts`, "import fs from 'node:fs';\nexport const f = fs;\n");
      assert.equal(errors.length, 1);
    });

    it(`bans I/O packages in ${dir} but allows type-only imports`, async () => {
      const value = await restrictedImportErrors(
        `${dir}/x.ts`,
        "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
      );
      assert.equal(value.length, 1);
      const typeOnly = await restrictedImportErrors(
        `${dir}/x.ts`,
        "import type { Kafka } from 'kafkajs';\nexport type K = Kafka;\n",
      );
      assert.deepEqual(typeOnly, []);
    });
  }

  it('lets activities use Node built-ins and I/O packages', async () => {
    const errors = await restrictedImportErrors(
      'src/activities/x.ts',
      "import fs from 'node:fs';\nimport { Kafka } from 'kafkajs';\nexport const f = [fs, Kafka];\n",
    );
    assert.deepEqual(errors, []);
  });

  it('rejects a promise nobody awaits (type-aware lint)', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    // Linted as the text of a real file of the project, so the type checker knows it.
    const code = 'async function write(): Promise<void> {}\nexport function f(): void {\n  write();\n}\n';
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, 'src/observability/refresh-timer.ts') });
    assert.deepEqual(
      result!.messages.map((m) => m.ruleId),
      ['@typescript-eslint/no-floating-promises'],
    );
  });
});

describe('lint rule against spreading an unbounded array into a call', function () {
  this.timeout(60_000);

  async function spreadErrors(file: string, code: string): Promise<number> {
    const eslint = new ESLint({ cwd: ROOT, overrideConfig: WITHOUT_TYPES });
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
  }

  for (const file of ['src/cli/x.ts', 'packages/delta-lake/src/x.ts']) {
    it(`rejects Math.max(...xs), Math.min(...xs) and push(...xs) in ${file}`, async () => {
      const code = [
        'export function f(xs: number[], out: number[]): number {',
        '  out.push(...xs);',
        '  out.unshift(...xs);',
        '  return Math.max(...xs) + Math.min(0, ...xs);',
        '}',
        '',
      ].join('\n');
      assert.equal(await spreadErrors(file, code), 4);
    });
  }

  it('allows loops, array-literal spreads and rest forwarding', async () => {
    const code = [
      'export function f(xs: number[], out: number[], g: (...a: number[]) => void): number {',
      '  let max = -Infinity;',
      '  for (const x of xs) {',
      '    out.push(x);',
      '    if (x > max) max = x;',
      '  }',
      '  g(...xs);',
      '  return [...xs, max].length;',
      '}',
      '',
    ].join('\n');
    assert.equal(await spreadErrors('src/cli/x.ts', code), 0);
  });
});
