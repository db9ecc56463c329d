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
