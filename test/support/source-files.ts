import fs from 'node:fs';
import path from 'node:path';

/** The repository's root and its source folder. */
export const ROOT = path.join(__dirname, '..', '..');
export const SRC = path.join(ROOT, 'src');

/** Every .ts file under `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : d.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Every module a file names: imports and re-exports (`import type` and `export type` too), side-effect imports,
 * `import()` and `require()`.
 */
export function moduleSpecifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms),
    ...text.matchAll(/^import\s+'([^']+)'/gm),
    ...text.matchAll(/\b(?:require|import)\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]!); // each pattern has one group, always matched
}
